package cardterm.terminal.faults;

import static cardterm.terminal.faults.CommandsAcrossRestartsTest.ROOT;
import static cardterm.terminal.faults.CommandsAcrossRestartsTest.body;
import static cardterm.terminal.faults.CommandsAcrossRestartsTest.events;
import static cardterm.terminal.faults.CommandsAcrossRestartsTest.job;
import static cardterm.terminal.faults.CommandsAcrossRestartsTest.online;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.terminal.contract.SignedCommand;
import cardterm.terminal.sim.SimWorldStore;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated world outlives a power cut, as a real printer keeps its card: a whole simulated
 * terminal (child JVM, printer at a real printer's speed, real mosquitto) is SIGKILLed while a job's
 * card is in the printer; started again on the same work directory, it finds the card there,
 * rejects it and fails the job {@code INTERRUPTED} with {@code cardRejected: true}; the printer's
 * reject box has one card more and its feeder one card less than before the job.
 */
class SimWorldAcrossKillTest {
    static final String JOB = "J-WORLD-1";

    @Test
    void aCardLeftInThePrinterByAKillIsThereAfterTheRestartAndIsRejected(@TempDir Path dir) throws Exception {
        Path key = SimTerminalProcess.keyFile(dir);
        Path work = dir.resolve("work");
        try (Mosquitto broker = Mosquitto.startPlain();
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "hub-world", ROOT + "#", true, o -> {})) {
            EclPrinterModel.State before;
            try (SimTerminalProcess t = SimTerminalProcess.start(1.0, broker.uri(), work, key,
                    dir.resolve("run1.log"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> online(hub, true) || !t.isAlive());
                assertThat(t.isAlive()).as("the terminal died by itself; see %s", dir).isTrue();
                before = SimWorldStore.load(work).printer().orElseThrow();
                assertThat(before.cardInside()).isFalse();

                hub.publish(ROOT + "cmd/issue", SignedCommand.signed(SimTerminalProcess.KEY_TEXT,
                        body("r-world-1", "issue", job(JOB, 1))), 1, false);
                await().atMost(Duration.ofSeconds(60)).until(() -> events(hub, "issuance.step").stream()
                        .anyMatch(e -> e.at("/data/jobId").asText().equals(JOB)
                                && e.at("/data/step").asText().equals("card-fed")));
                t.kill(); // printing a colour side takes 15 s: the card is inside
            }
            assertThat(events(hub, "issuance.completed")).isEmpty();
            assertThat(events(hub, "issuance.failed")).isEmpty();
            EclPrinterModel.State killed = SimWorldStore.load(work).printer().orElseThrow();
            assertThat(killed.cardInside()).as("the card stays in the printer on disk").isTrue();
            assertThat(killed.feeder()).isEqualTo(before.feeder() - 1);

            try (SimTerminalProcess t = SimTerminalProcess.start(1.0, broker.uri(), work, key,
                    dir.resolve("run2.log"))) {
                await().atMost(Duration.ofSeconds(90)).until(() -> !failed(hub).isEmpty() || !t.isAlive());
                assertThat(t.isAlive()).as("the terminal died by itself; see %s", dir).isTrue();
                JsonNode f = failed(hub).get(0);
                assertThat(f.at("/data/code").asText()).as(f.toString()).isEqualTo("INTERRUPTED");
                assertThat(f.at("/data/cardRejected").asBoolean()).as(f.toString()).isTrue();
                assertThat(t.lines()).anySatisfy(l -> assertThat(l).contains("simulated printer as left:",
                        "card inside"));

                EclPrinterModel.State after = SimWorldStore.load(work).printer().orElseThrow();
                assertThat(after.rejectBox()).isEqualTo(before.rejectBox() + 1);
                assertThat(after.feeder()).isEqualTo(before.feeder() - 1);
                assertThat(after.hopper()).isEqualTo(before.hopper());
                assertThat(after.cardInside()).isFalse();
                assertThat(SimWorldStore.load(work).encoder().orElseThrow().cardInEncoder())
                        .as("the encoder's card went with the rejected card").isNull();
                assertThat(t.stop()).isIn(0, 130, 143);
            }
            assertThat(events(hub, "issuance.failed")).hasSize(1);
        }
    }

    private static List<JsonNode> failed(MqttRecorder hub) {
        return events(hub, "issuance.failed").stream().filter(e -> e.at("/data/jobId").asText().equals(JOB))
                .toList();
    }
}
