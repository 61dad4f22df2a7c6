package cardterm.terminal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.cli.SimulateCommand;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate --scenario none}: lines typed on standard input drive the simulated world, as
 * staff training and scripted tests use it; what they cause reaches a real mosquitto.
 */
class SimulateConsoleTest {
    private static final String ROOT = "cardterm/v1/sim/sim-01/";
    @TempDir
    Path work;
    private Mosquitto broker;
    private MqttRecorder hub;
    private SimulatedTerminal sim;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream out;

    @BeforeEach
    void start() throws Exception {
        broker = Mosquitto.startPlain();
        hub = MqttRecorder.start(broker.uri(), "cardterm/v1/#");
        out = new PrintStream(console, true, StandardCharsets.UTF_8);
        TerminalConfig config = TerminalConfig.forSimulation(work.resolve("data"), broker.uri());
        sim = SimulatedTerminal.start(config, work, out, 0, Clock.system(config.terminal().timeZone()), "test");
        await().atMost(Duration.ofSeconds(10)).until(() -> !hub.on(ROOT + "state").isEmpty());
    }

    @AfterEach
    void stop() {
        sim.close();
        hub.close();
        broker.close();
    }

    private void type(String line) throws Exception {
        SimulateCommand.execute(sim, SimCommand.parse(line), out);
    }

    @Test
    void callLifecycleFromTheConsole() throws Exception {
        type("press call-2");
        JsonNode raised = awaitEvent("assist.call.raised");
        String callId = raised.path("data").path("callId").asText();
        assertThat(raised.path("data").path("button").path("id").asText()).isEqualTo("call-2");
        type("status");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("call " + callId);
        type("ack " + callId + " S1001");
        awaitEvent("assist.call.acknowledged");
        type("ack " + callId + " S1002");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("ALREADY_OWNED");
        type("resolve " + callId + " S1001");
        assertThat(awaitEvent("assist.call.resolved").path("data").path("staffId").asText()).isEqualTo("S1001");
        assertAllOnContract();
    }

    @Test
    void issuanceAndPrinterFaultsFromTheConsole() throws Exception {
        type("issue 75");
        JsonNode done = awaitEvent("issuance.completed");
        assertThat(done.path("data").path("concession").asText()).isEqualTo("free");

        type("feeder 0");
        await().atMost(Duration.ofSeconds(10)).until(() -> deviceStatus("printer", "SUPPLY_EMPTY"));
        type("issue 54");
        JsonNode failed = awaitEvent("issuance.failed");
        assertThat(failed.path("data").path("cardRejected").asBoolean()).isFalse();
        assertThat(failed.path("data").path("recordsWritten")).isEmpty();

        type("feeder 50");
        type("cover open");
        await().atMost(Duration.ofSeconds(10)).until(() -> deviceStatus("printer", "COVER_OPEN"));
        type("cover close");
        await().atMost(Duration.ofSeconds(10)).until(() -> deviceStatus("printer", "OK"));

        hub.clear();
        type("jam");
        type("issue 65 optout");
        JsonNode jammed = awaitEvent("issuance.failed");
        assertThat(jammed.path("data").path("code").asText()).isEqualTo("JAM");
        assertThat(jammed.path("data").path("cardRejected").asBoolean()).isTrue();
        assertThat(jammed.path("data").path("recordsWritten")).isNotEmpty();
        assertThat(events("issuance.accepted").get(0).path("data").path("concession").asText()).isEqualTo("none");
        assertAllOnContract();
    }

    @Test
    void badLinesAreExplainedAndChangeNothing() throws Exception {
        type("fly away");
        type("press");
        type("help");
        String text = console.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("unknown command 'fly'").contains("usage: press ID").contains("hold ID SECONDS");
        assertThat(hub.messages(m -> m.topic().contains("/event/"))).isEmpty();
    }

    private boolean deviceStatus(String device, String detail) {
        return events("device.status").stream().anyMatch(e -> e.path("data").path("device").asText().equals(device)
                && e.path("data").path("detail").asText().equals(detail));
    }

    private JsonNode awaitEvent(String type) {
        await().atMost(Duration.ofSeconds(15)).until(() -> !events(type).isEmpty());
        return events(type).get(0);
    }

    private List<JsonNode> events(String type) {
        return hub.messages(m -> m.topic().startsWith(ROOT + "event/")).stream().map(MqttRecorder.Message::json)
                .filter(j -> j.path("type").asText().equals(type)).toList();
    }

    private void assertAllOnContract() {
        List<String> violations = hub.messages().stream()
                .flatMap(m -> ContractSchemas.validate(m.topic(), m.payload()).stream().map(e -> m.topic() + ": " + e))
                .distinct().toList();
        assertThat(violations).isEmpty();
    }
}
