package cardterm.terminal.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.check.Problems;
import cardterm.devices.chip.sim.SimulatedReaderPair;
import cardterm.devices.printer.CardDestination;
import cardterm.devices.printer.EclPrinter;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.FontCheck;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterModelListener;
import cardterm.devices.printer.sim.EclPrinterServer;
import cardterm.terminal.audit.AuditEntry;
import cardterm.terminal.audit.AuditLog;
import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.issuance.IssuanceJournal.Entry;
import cardterm.terminal.issuance.IssuanceJournal.Phase;
import cardterm.terminal.sim.DemoJobs;
import cardterm.terminal.store.Database;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuance service in process, on the in-process card and printer simulators and a real SQLite
 * file: cancelling a running job at its next safe point, job ids run once, jobs queued at a crash,
 * and the journal replay rules.
 */
class IssuanceServiceTest {
    @TempDir
    Path dir;

    private final List<EventEnvelope> events = new CopyOnWriteArrayList<>();
    private final List<IssuanceService.Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final EventSink sink = (type, data) -> {
        EventEnvelope e = new EventEnvelope(UUID.randomUUID().toString(), events.size() + 1,
                OffsetDateTime.now(ZoneOffset.UTC), type, "t-1", "s-1", data);
        events.add(e);
        return e;
    };
    private Database db;
    private SimulatedReaderPair readers;
    private EclPrinterServer sim;
    private EclPrinter printer;
    private IssuanceService service;

    private IssuanceService open() {
        Clock clock = Clock.systemUTC();
        db = Database.open(dir);
        if (readers == null) {
            readers = new SimulatedReaderPair(clock, 77);
            sim = EclPrinterServer.instant(EclPrinterModel.Settings.colour());
            sim.addListener(new EclPrinterModelListener() {
                @Override
                public void cardEnteredStation() {
                    readers.insertBlankCard();
                }

                @Override
                public void cardLeftStation(CardDestination destination) {
                    readers.removeCard();
                }
            });
            printer = EclPrinter.builder(sim.inProcessLink("test-printer"))
                    .clock(clock).pollInterval(Duration.ofMinutes(5)).ownsLink(true).build().start();
        }
        FontCheck.Found font = (FontCheck.Found) FontCheck.find(Optional.empty());
        service = new IssuanceService(IssuancePolicy.DEFAULT, Duration.ofMinutes(10),
                ChipStation.of(readers.cardReader(), readers.samReader()), printer,
                CardFaceRenderer.of(font, CardFaceRenderer.TITLE_WENZHOU), sink, clock, IssuanceJournal.open(db, clock),
                AuditLog.open(db, sink, clock));
        service.addOutcomeListener(outcomes::add);
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
        if (printer != null) {
            printer.close();
            sim.close();
            readers.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static IssuanceJob job(String id, int age) {
        return IssuanceJobParser.parse(DemoJobs.job(id, "S1024", age, false, java.time.LocalDate.now(), Math.floorMod(id.hashCode(), 10_000)),
                new Problems()).orElseThrow();
    }

    private List<ObjectNode> data(String type) {
        return events.stream().filter(e -> e.type().equals(type)).map(EventEnvelope::data).toList();
    }

    @Test
    void aRunningJobCancelledStopsAtTheNextSafePointWithItsCardRejected() throws Exception {
        IssuanceService s = open();
        CountDownLatch atPoint = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        s.setProbe(p -> {
            if (p.equals("card-feed.ended")) {
                atPoint.countDown();
                try {
                    go.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        s.start();
        assertThat(s.submit(job("J-RUN-1", 40))).isEmpty();
        assertThat(atPoint.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(s.cancel("J-RUN-1", "S2048")).contains("running");
        go.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        IssuanceService.Outcome o = outcomes.getFirst();
        assertThat(o.code()).isEqualTo("CANCELLED");
        assertThat(o.cardRejected()).isTrue();
        assertThat(o.recordsWritten()).isEmpty();
        assertThat(sim.printer().rejectBoxCards()).isEqualTo(1);
        assertThat(readers.blanksUsed()).isEqualTo(1);
        assertThat(data(AuditLog.EVENT_TYPE)).anySatisfy(a -> {
            assertThat(a.path("action").asText()).isEqualTo("issuance.job.cancelled");
            assertThat(a.path("staffId").asText()).isEqualTo("S2048");
        });
        assertThat(data("issuance.failed")).singleElement()
                .satisfies(f -> assertThat(f.path("message").asText()).contains("S2048"));
    }

    @Test
    void theWorkerBeatsWhileIdleAndAtEveryStepSoTheWatchdogCanTellItHangs() {
        IssuanceService s = open();
        long before = s.loopHeartbeatNanos();
        s.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.loopHeartbeatNanos() > before);
        long idle = s.loopHeartbeatNanos();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.loopHeartbeatNanos() > idle); // idle turns beat too
        long beforeJob = s.loopHeartbeatNanos();
        assertThat(s.submit(job("J-BEAT", 40))).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(s.loopHeartbeatNanos()).isGreaterThan(beforeJob);
    }

    @Test
    void aJobIdIsRunOnceEvenAfterARestart() {
        IssuanceService s = open();
        s.start();
        assertThat(s.submit(job("J-ONCE", 40))).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes.getFirst().completed()).isTrue();
        assertThat(s.submit(job("J-ONCE", 40))).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo("DUPLICATE");
            assertThat(r.message()).contains("COMPLETED");
        });
        s.close();
        db.close();
        IssuanceService again = open();
        again.start();
        assertThat(again.submit(job("J-ONCE", 40))).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo("DUPLICATE"));
    }

    @Test
    void jobsQueuedAtACrashRunAfterTheRestartInTheirPlace() throws Exception {
        IssuanceService s = open(); // never started: the jobs stay queued, as when the power goes
        assertThat(s.submit(job("J-Q-1", 40))).isEmpty();
        assertThat(s.submit(job("J-Q-2", 80))).isEmpty();
        assertThat(waitingCopies()).isEqualTo(2); // kept, with their personal data, while they wait
        db.close();
        IssuanceService again = open();
        again.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.size() == 2);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.completed()).isTrue());
        // in their place: the elderly citizen's job first
        assertThat(outcomes).extracting(IssuanceService.Outcome::jobId).containsExactly("J-Q-2", "J-Q-1");
        assertThat(data("issuance.accepted")).hasSize(2); // accepted once, before the restart
        assertThat(waitingCopies()).isZero(); // gone once each job started
    }

    @Test
    void aQueuedJobWithoutItsWaitingCopyFailsInterruptedAtQueued() throws Exception {
        IssuanceService s = open();
        assertThat(s.submit(job("J-Q-3", 40))).isEmpty();
        try (var c = db.openConnection(); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM issuance_waiting"); // as a database from before this version
        }
        db.close();
        IssuanceService again = open();
        again.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
        assertThat(outcomes.getFirst().code()).isEqualTo(IssuanceService.INTERRUPTED);
        assertThat(outcomes.getFirst().cardRejected()).isFalse();
        assertThat(data("issuance.failed")).extracting(f -> f.path("step").asText()).containsOnly("queued");
        assertThat(readers.blanksUsed()).isZero();
        assertThat(data(AuditLog.EVENT_TYPE)).filteredOn(a -> a.path("action").asText().equals("issuance.job.failed"))
                .allSatisfy(a -> assertThat(a.path("staffId").asText()).isEqualTo("S1024")).hasSize(1);
    }

    @Test
    void aJobThatFailedBeforeAnyCardWasFedMayBeSentAgainUnderItsId() {
        IssuanceService s = open();
        sim.printer().setFeederCards(0);
        s.start();
        assertThat(s.submit(job("J-AGAIN", 40))).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
        assertThat(outcomes.getFirst().completed()).isFalse();
        sim.printer().setFeederCards(10);
        assertThat(s.submit(job("J-AGAIN", 40))).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 2);
        assertThat(outcomes.get(1).completed()).isTrue();
        // once a card was made, the id is taken for good
        assertThat(s.submit(job("J-AGAIN", 40))).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo("DUPLICATE"));
    }

    private long waitingCopies() throws Exception {
        try (var c = db.openConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM issuance_waiting")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aPrinterThatIsNotReadyFailsTheJobBeforeAnyCardIsFed() {
        IssuanceService s = open();
        sim.printer().setFeederCards(0);
        s.start();
        assertThat(s.submit(job("J-EMPTY", 40))).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes.getFirst().code()).isEqualTo("PRINTER_NOT_READY");
        assertThat(outcomes.getFirst().cardRejected()).isFalse();
        assertThat(readers.blanksUsed()).isZero();
        assertThat(data("issuance.failed")).singleElement()
                .satisfies(f -> assertThat(f.path("step").asText()).isEqualTo("card-fed"));
    }

    @Test
    void aCardLeftInThePrinterIsRejectedBeforeTheNextJobUsesIt() throws Exception {
        IssuanceService s = open();
        printer.feedToEncoder(); // as if an earlier job's card could not be rejected
        assertThat(sim.printer().cardInStation()).isTrue();
        s.start();
        assertThat(s.submit(job("J-AFTER-LEFTOVER", 40))).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes.getFirst().completed()).isTrue();
        assertThat(sim.printer().rejectBoxCards()).isEqualTo(1);
        assertThat(sim.printer().outputTrayCards()).isEqualTo(1);
    }

    @Test
    void theReplayKnowsWhatWasWrittenAndWhatIsInDoubt() {
        Instant t = Instant.EPOCH;
        List<Entry> e = List.of(
                new Entry(1, "J", IssuanceStep.JOB, Phase.START, t, ""),
                new Entry(2, "J", IssuanceStep.FEED, Phase.START, t, ""),
                new Entry(3, "J", IssuanceStep.FEED, Phase.END, t, JournalReplay.OK),
                new Entry(4, "J", IssuanceStep.CHIP, Phase.START, t, "none"),
                new Entry(5, "J", IssuanceStep.RECORD, Phase.START, t, "EF05/5"),
                new Entry(6, "J", IssuanceStep.RECORD, Phase.END, t, "EF05/5"),
                new Entry(7, "J", IssuanceStep.RECORD, Phase.START, t, "EF05/6"));
        JournalReplay r = JournalReplay.of(e);
        assertThat(r.feedStarted()).isTrue();
        assertThat(r.recordsWritten()).containsExactly("EF05/5");
        assertThat(r.recordInDoubt()).contains("EF05/6");
        assertThat(r.stepReached()).isEqualTo("chip-verified");
        assertThat(r.ejectStarted()).isFalse();
        assertThat(JournalReplay.of(List.of(new Entry(1, "J", IssuanceStep.FEED, Phase.START, t, ""),
                new Entry(2, "J", IssuanceStep.FEED, Phase.END, t, "ERR JAM"))).stepReached()).isEqualTo("card-fed");
        assertThat(AuditEntry.HUB).isEqualTo("hub");
        JournalReplay leftover = JournalReplay.of(List.of(new Entry(1, "J", IssuanceStep.REJECT, Phase.START, t,
                JournalReplay.LEFTOVER), new Entry(2, "J", IssuanceStep.REJECT, Phase.END, t, JournalReplay.OK),
                new Entry(3, "J", IssuanceStep.FEED, Phase.START, t, "")));
        assertThat(leftover.rejectStarted()).isFalse();
        assertThat(leftover.rejectDone()).isFalse();
        assertThat(leftover.feedStarted()).isTrue();
    }
}
