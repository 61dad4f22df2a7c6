package cardterm.terminal.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.chip.ChipProfile.ChipFile;
import cardterm.devices.chip.sim.CardFaults;
import cardterm.devices.chip.sim.SimulatedCard;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.terminal.testing.CliCapture;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash safety: a terminal in a child JVM ({@link KillableIssuanceMain}, as {@code cardterm run})
 * is SIGKILLed at each journaled point of a job, then started again on the same data directory.
 * The printer simulator (a loopback TCP port) and the virtual cards (pcscd/vpcd) live in this JVM,
 * so they keep what the dead terminal left: the card in the printer, the records on the chip.
 * After the restart the job must end deterministically: the card rejected and the job failed with
 * INTERRUPTED and the records the card really holds, or (killed after Eo) completed with the card
 * out; never a card personalized twice, never a card in the output tray that was not verified and
 * printed; the audit log intact; every message within the contract.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssuanceCrashTest {
    private static final Set<String> AFTER_EO = Set.of("eject.done", "eject.ended");
    private static final AtomicInteger RUN = new AtomicInteger();
    private Path dir;
    private IssuanceRig rig;
    private final List<Process> children = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("issuance-crash-");
        rig = IssuanceRig.start(dir, false);
    }

    @AfterAll
    void stop() {
        children.forEach(Process::destroyForcibly);
        try {
            rig.assertEveryMessageKeepsTheContract();
        } finally {
            rig.close();
        }
    }

    /** A child terminal and the lines it printed. */
    private final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Child(Path config, String point) throws IOException {
            String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = dir.resolve("child-" + RUN.incrementAndGet() + ".log");
            process = new ProcessBuilder(javaExe, "-Xmx256m", "-Djava.awt.headless=true",
                    "--enable-native-access=ALL-UNNAMED", "--add-opens",
                    "java.smartcardio/sun.security.smartcardio=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), KillableIssuanceMain.class.getName(),
                    config.toString(), point).redirectErrorStream(true).start();
            children.add(process);
            Thread.ofPlatform().daemon().name("child-out").start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                        Files.writeString(log, l + "\n", StandardCharsets.UTF_8,
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    }
                } catch (IOException e) {
                    // the child died
                }
            });
        }

        void await(String line) {
            org.awaitility.Awaitility.await("child to print " + line).atMost(Duration.ofSeconds(60))
                    .until(() -> {
                        if (!process.isAlive() && !lines.contains(line)) {
                            throw new AssertionError("child died (exit " + process.exitValue() + "): "
                                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                        }
                        return lines.contains(line);
                    });
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            process.waitFor();
        }
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"job.accepted", "accepted.stored", "job.started", "printer-check.started", "printer-check.done",
        "printer-check.ended", "card-feed.started", "card-feed.done", "card-feed.ended", "chip.started",
        "record.started#1", "record.done#1", "record.ended#1", "record.started#5", "record.done#9",
        "record.ended#9", "chip.done", "chip.ended", "print.started", "print.done", "print.ended",
        "completed.stored", "eject.started", "eject.done", "eject.ended", "fail:reject.started", "fail:reject.done"})
    void theRestartedTerminalEndsTheInterruptedJobDeterministically(String point) throws Exception {
        boolean failing = point.startsWith("fail:");
        String killAt = failing ? point.substring(5) : point;
        String killName = killAt.replaceAll("#.*", "");
        int n = RUN.get();
        String jobId = "J-CRASH-" + killAt.replaceAll("[^A-Za-z0-9]", "-") + "-" + n;
        Path data = dir.resolve("data-" + n);
        Path config = rig.writeConfig(data);
        EclPrinterModel printer = rig.printer.printer();
        int cardsBefore = rig.cards.size();
        int trayBefore = printer.outputTrayCards();
        int rejectedBefore = printer.rejectBoxCards();
        if (failing) {
            rig.nextCardFaults(CardFaults.none().withFailedWrite(3));
        }

        Child first = new Child(config, killAt);
        try {
            first.await("READY");
            rig.send("issue", IssuanceRig.job(jobId, 75, false)); // 75: a free-ride concession, 9 records
            first.await("AT " + killAt);
        } finally {
            first.kill();
        }
        boolean cardInsideAtKill = printer.cardInside();
        int cardsFed = rig.cards.size() - cardsBefore;
        List<Integer> writesAtKill = new ArrayList<>();
        rig.cards.subList(cardsBefore, rig.cards.size()).forEach(c -> writesAtKill.add(c.writeCount()));

        Child second = new Child(config, "none");
        try {
            second.await("READY");
            boolean handedOut = AFTER_EO.contains(killName);
            // accepted and not started: the job waits with its data and runs after the restart
            boolean requeued = killName.equals("job.accepted") || killName.equals("accepted.stored");
            if (requeued) {
                rig.awaitEnd(jobId, "issuance.completed");
                // killed after its event was stored but before that was noted: stored again after the
                // restart under the same id, so the hub (dropping repeats by id) sees one acceptance
                assertThat(rig.eventIds("issuance.accepted", jobId)).as("accepted once, one event id").hasSize(1);
                assertThat(rig.events("issuance.failed", jobId)).isEmpty();
                await().atMost(Duration.ofSeconds(20)).until(() -> printer.outputTrayCards() == trayBefore + 1);
            } else if (handedOut) {
                rig.awaitEnd(jobId, "issuance.completed");
                await().atMost(Duration.ofSeconds(20)).until(() -> rig.events("issuance.step", jobId).stream()
                        .anyMatch(s -> s.path("step").asText().equals("ejected")));
                assertThat(rig.events("issuance.failed", jobId)).isEmpty();
                assertThat(printer.outputTrayCards()).isEqualTo(trayBefore + 1);
            } else {
                JsonNode f = rig.awaitEnd(jobId, "issuance.failed");
                assertThat(f.path("code").asText()).isEqualTo("INTERRUPTED");
                assertThat(f.path("cardRejected").asBoolean()).as(f.toString()).isEqualTo(
                        cardInsideAtKill || killName.equals("reject.done"));
                assertThat(printer.outputTrayCards()).as("no card handed out").isEqualTo(trayBefore);
                if (cardsFed == 1) {
                    assertThat(printer.rejectBoxCards()).isEqualTo(rejectedBefore + 1);
                    SimulatedCard card = rig.cards.get(cardsBefore);
                    Set<String> onCard = writtenRecords(card);
                    Set<String> reported = new HashSet<>();
                    f.path("recordsWritten").forEach(r -> reported.add(r.asText()));
                    // what the journal reports is on the card; at most the one write in doubt is not reported
                    assertThat(onCard).containsAll(reported);
                    Set<String> unreported = new HashSet<>(onCard);
                    unreported.removeAll(reported);
                    assertThat(unreported).as(f.toString()).hasSizeLessThanOrEqualTo(killName.equals("record.done") ? 1 : 0);
                    if (!unreported.isEmpty()) {
                        assertThat(f.path("message").asText()).contains("was not acknowledged");
                    }
                } else {
                    assertThat(cardsFed).isZero();
                    assertThat(printer.rejectBoxCards()).isEqualTo(rejectedBefore);
                }
            }
            // never personalized twice: no new card for this job, no write after the restart (a job
            // that had not started makes its one card now)
            assertThat(rig.cards.size() - cardsBefore).isEqualTo(requeued ? 1 : cardsFed).isLessThanOrEqualTo(1);
            if (!requeued) {
                List<Integer> writesNow = new ArrayList<>();
                rig.cards.subList(cardsBefore, rig.cards.size()).forEach(c -> writesNow.add(c.writeCount()));
                assertThat(writesNow).isEqualTo(writesAtKill);
            }
            assertThat(printer.cardInside()).as("the printer is empty").isFalse();
            // the terminal carries on: a next job completes
            String next = jobId + "-NEXT";
            rig.send("issue", IssuanceRig.job(next, 40, false));
            rig.awaitEnd(next, "issuance.completed");
            CliCapture v = CliCapture.run("audit", "verify", "--data-dir", data.toString());
            assertThat(v.exit()).as(v.err()).isZero();
        } finally {
            second.kill();
        }
    }

    private static Set<String> writtenRecords(SimulatedCard card) {
        Set<String> out = new HashSet<>();
        int[][] counter = {{5, 6, 7}, {1, 2, 3, 4, 6}, {1}};
        ChipFile[] files = {ChipFile.EF05, ChipFile.EF06, ChipFile.EF15};
        for (int i = 0; i < files.length; i++) {
            for (int rec : counter[i]) {
                if (card.record(files[i], rec).isPresent()) {
                    out.add(files[i].name() + "/" + rec);
                }
            }
        }
        return out;
    }
}
