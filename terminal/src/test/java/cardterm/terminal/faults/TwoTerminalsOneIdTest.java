package cardterm.terminal.faults;

import static cardterm.terminal.faults.CommandsAcrossRestartsTest.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.testing.CliCapture;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two simulated terminals with one id on one broker (a cloned SD card): they take the MQTT
 * session from each other; each finds out, says so (health {@code broker.conflict}, a log line
 * naming the likely cause) and backs off rather than fighting; {@code monitor} marks the terminal.
 */
class TwoTerminalsOneIdTest {
    @Test
    void aClonedTerminalIsNamedAndBacksOff(@TempDir Path dir) throws Exception {
        Path key = SimTerminalProcess.keyFile(dir);
        try (Mosquitto broker = Mosquitto.startPlain();
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "hub-clones", ROOT + "#", false, o -> {});
                SimTerminalProcess a = SimTerminalProcess.start(broker.uri(), dir.resolve("a"), key,
                        dir.resolve("a.log"));
                SimTerminalProcess b = SimTerminalProcess.start(broker.uri(), dir.resolve("b"), key,
                        dir.resolve("b.log"))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                    hub.on(ROOT + "health").stream().anyMatch(m -> m.json().at("/broker/conflict").isTextual()));
            String conflict = hub.on(ROOT + "health").stream().map(m -> m.json().at("/broker/conflict"))
                    .filter(n -> n.isTextual()).findFirst().orElseThrow().asText();
            assertThat(conflict).contains("another terminal with the same id sim/sim-01");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(dir.resolve("a.log"))
                    .contains("another terminal with the same id")
                    || Files.readString(dir.resolve("b.log")).contains("another terminal with the same id"));
            String logs = Files.readString(dir.resolve("a.log")) + Files.readString(dir.resolve("b.log"));
            assertThat(logs).contains("backing off");

            // backing off: once the fight is found, sessions come at most about every 30 s, not
            // many a second
            long sessionsAtConflict = hub.on(ROOT + "state").stream().filter(m -> m.json().path("online")
                    .asBoolean()).count();
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(12)).until(() -> System.nanoTime() - t0 > Duration.ofSeconds(10)
                    .toNanos());
            long sessionsAfter = hub.on(ROOT + "state").stream().filter(m -> m.json().path("online").asBoolean())
                    .count();
            assertThat(sessionsAfter - sessionsAtConflict).as("new sessions in 10 s after backing off")
                    .isLessThanOrEqualTo(3);

            CliCapture monitor = CliCapture.run("monitor", "--broker", broker.uri(), "--once");
            assertThat(monitor.out()).contains("ID CLAIMED TWICE");
        }
    }
}
