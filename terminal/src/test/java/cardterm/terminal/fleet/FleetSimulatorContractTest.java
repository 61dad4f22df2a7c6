package cardterm.terminal.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of 6 real simulated terminals over 3 sites, busy (calls, jobs, faults): each has its own
 * identity and data directory, and every message any of them sends is valid on the hub contract,
 * as {@code simulate}'s are.
 */
class FleetSimulatorContractTest {
    @TempDir
    Path dir;

    @Test
    void everyTerminalIsItselfAndSpeaksTheContract() throws Exception {
        try (Mosquitto broker = Mosquitto.startPlain();
                MqttRecorder rec = MqttRecorder.start(broker.uri(), "cardterm/v1/#")) {
            FleetSimulator.Options o = FleetSimulator.Options.of(6, broker.uri(), dir).withSites(3)
                    .withActivity(60, 0.3);
            try (FleetSimulator fleet = FleetSimulator.start(o, "test", System.out)) {
                assertThat(fleet.members()).extracting(m -> m.site() + "/" + m.id()).containsExactly(
                        "site-01/t-0001", "site-02/t-0002", "site-03/t-0003", "site-01/t-0004", "site-02/t-0005",
                        "site-03/t-0006");
                assertThat(fleet.members()).extracting(m -> m.sim().terminal().config().terminal().dataDir())
                        .doesNotHaveDuplicates();
                await().atMost(Duration.ofSeconds(60)).until(() -> fleet.connected() == 6);
                await().atMost(Duration.ofSeconds(60)).until(() -> fleet.actions() >= 12);
                await().atMost(Duration.ofSeconds(60)).until(() -> rec.messages(m -> m.topic().contains("/event/"))
                        .stream().map(m -> m.topic().split("/")[3]).collect(Collectors.toSet()).size() == 6);
                assertThat(fleet.heapMbPerTerminal()).isPositive();
            }
            List<String> problems = rec.messages().stream()
                    .flatMap(m -> ContractSchemas.validate(m.topic(), m.payload()).stream()
                            .map(p -> m.topic() + ": " + p))
                    .toList();
            assertThat(problems).isEmpty();
            Set<String> roots = rec.messages(m -> m.topic().endsWith("/state")).stream()
                    .map(m -> m.topic().substring(0, m.topic().lastIndexOf('/'))).collect(Collectors.toSet());
            assertThat(roots).hasSize(6);
        }
    }
}
