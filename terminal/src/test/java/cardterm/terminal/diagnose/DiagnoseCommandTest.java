package cardterm.terminal.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.contract.SignedCommand;
import cardterm.terminal.sim.SimulatedTerminal;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's signed {@code diagnose} command, end to end: a simulated terminal on a real mosquitto
 * answers with every self-test check; the reply keeps the contract. An unplugged printer fails its
 * check with a hint.
 */
class DiagnoseCommandTest {
    @Test
    void diagnoseAnswersWithEveryCheckAndFailuresCarryHints(@TempDir Path work) throws Exception {
        try (Mosquitto broker = Mosquitto.startPlain();
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "cardterm/v1/#")) {
            TerminalConfig config = TerminalConfig.forSimulation(work.resolve("data"), broker.uri());
            String key = Files.readString(config.hub().commandKeyFile(), StandardCharsets.UTF_8).strip();
            String root = "cardterm/v1/" + config.terminal().site() + "/" + config.terminal().id();
            try (SimulatedTerminal sim = SimulatedTerminal.start(config, work,
                    new PrintStream(OutputStream.nullOutputStream()), 0, Clock.system(config.terminal().timeZone()),
                    "test")) {
                await().atMost(Duration.ofSeconds(15)).until(() -> sim.terminal().hub().isConnected()
                        && sim.terminal().health().devices().values().stream()
                                .allMatch(h -> h.state().name().equals("ONLINE")));

                JsonNode ok = diagnose(hub, root, key, "R-diag-1", config);
                assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
                JsonNode result = ok.path("result");
                List<String> names = new ArrayList<>();
                result.path("checks").forEach(c -> names.add(c.path("check").asText()));
                assertThat(names).containsExactly("config", "data-dir", "readers", "sam", "printer", "buttons",
                        "broker", "clock", "cjk-font");
                assertThat(result.path("passed").asBoolean()).as(result.toPrettyString()).isTrue();

                sim.unplugPrinter();
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> !sim.terminal().health().devices().get("printer").state().name().equals("ONLINE"));
                JsonNode bad = diagnose(hub, root, key, "R-diag-2", config);
                JsonNode r = bad.path("result");
                assertThat(r.path("passed").asBoolean()).isFalse();
                assertThat(r.path("failed").asInt()).isEqualTo(1);
                JsonNode printer = SelftestCommandTest.find(r.path("checks"), "printer");
                assertThat(printer.path("passed").asBoolean()).isFalse();
                assertThat(printer.path("hint").asText()).contains("cable");
                sim.plugPrinter();
            }
        }
    }

    static JsonNode diagnose(MqttRecorder hub, String root, String key, String requestId, TerminalConfig config) {
        String body = "{\"requestId\":\"" + requestId + "\",\"issuedAt\":\""
                + OffsetDateTime.now(config.terminal().timeZone()) + "\",\"terminal\":\"" + config.terminal().id()
                + "\",\"name\":\"diagnose\",\"args\":{}}";
        hub.publish(root + "/cmd/diagnose", SignedCommand.signed(key, body), 1, false);
        await().atMost(Duration.ofSeconds(60)).until(() -> hub.on(root + "/reply").stream()
                .anyMatch(m -> m.json().path("requestId").asText().equals(requestId)));
        MqttRecorder.Message m = hub.on(root + "/reply").stream()
                .filter(x -> x.json().path("requestId").asText().equals(requestId)).findFirst().orElseThrow();
        assertThat(ContractSchemas.validate(m.topic(), m.payload())).isEmpty();
        return m.json();
    }
}
