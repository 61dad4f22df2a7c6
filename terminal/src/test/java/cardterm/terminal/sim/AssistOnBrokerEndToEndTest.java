package cardterm.terminal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.gpio.BeepPattern;
import cardterm.devices.gpio.Buzzer;
import cardterm.devices.gpio.Lamp;
import cardterm.devices.gpio.LampPattern;
import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import cardterm.terminal.testing.TcpProxy;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Assistance calls through the whole terminal on a real mosquitto: a stuck button is visible in the
 * published health (DEGRADED/STUCK, ignored until released), and with the hub unreachable lamps,
 * buzzers and escalation timers go on while the events wait in the outbox, then arrive in order.
 */
class AssistOnBrokerEndToEndTest {
    private static final String ROOT = "cardterm/v1/sim/sim-01/";

    @TempDir
    Path work;

    private Mosquitto broker;
    private TcpProxy proxy;
    private MqttRecorder hub;
    private SimulatedTerminal sim;

    @BeforeEach
    void start() {
        broker = Mosquitto.startPlain();
        proxy = TcpProxy.to("127.0.0.1", broker.port());
        hub = MqttRecorder.start(broker.uri(), "cardterm/v1/#");
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        hub.close();
        proxy.close();
        broker.close();
    }

    /** The simulation's terminal, through the proxy, with short assist times. */
    private void startTerminal(Duration longPress, Duration stuckAfter, Duration escalateToB) throws Exception {
        TerminalConfig c = TerminalConfig.forSimulation(work.resolve("data"), proxy.uri());
        AssistConfig a = c.assist();
        c = c.withAssist(new AssistConfig(a.buttons(), a.posts(), a.supervisors(), new AssistConfig.Timing(
                a.timing().debounce(), longPress, stuckAfter, escalateToB, a.timing().reminderGap())));
        sim = SimulatedTerminal.start(c, work, new PrintStream(OutputStream.nullOutputStream()), 0,
                Clock.system(c.terminal().timeZone()), "test");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.on(ROOT + "state").stream()
                .anyMatch(m -> m.json().path("online").asBoolean()));
    }

    private List<JsonNode> events(String prefix) {
        return hub.messages(m -> m.topic().startsWith(ROOT + "event/") && m.json().path("type").asText().startsWith(prefix))
                .stream().map(MqttRecorder.Message::json).toList();
    }

    private JsonNode lastHealth() {
        List<MqttRecorder.Message> h = hub.on(ROOT + "health");
        return h.isEmpty() ? null : h.get(h.size() - 1).json();
    }

    private <T> T device(String id, Class<T> type) {
        return sim.terminal().assist().devices().stream().filter(d -> d.deviceId().equals(id))
                .map(type::cast).findFirst().orElseThrow();
    }

    private void assertEverythingKeptTheContract() {
        assertThat(hub.messages().stream().flatMap(m -> ContractSchemas.validate(m.topic(), m.payload()).stream()
                .map(e -> m.topic() + " " + m.json().path("type").asText() + ": " + e)).distinct().toList()).isEmpty();
    }

    @Test
    void aStuckButtonIsDegradedInTheHealthTheHubSeesAndIgnoredUntilReleased() throws Exception {
        startTerminal(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofSeconds(60));
        sim.gpio().mockPins().press("call-2"); // and held: a cushion on the button
        await().atMost(Duration.ofSeconds(5)).until(() -> lastHealth() != null
                && lastHealth().at("/devices/call-2/reason").asText().equals("STUCK"));
        JsonNode h = lastHealth();
        assertThat(h.at("/devices/call-2/state").asText()).isEqualTo("DEGRADED");
        assertThat(h.at("/devices/call-2/message").asText()).contains("held for");
        assertThat(h.at("/devices/call-1/state").asText()).isEqualTo("ONLINE");
        assertThat(h.path("status").asText()).isEqualTo("DEGRADED");
        await().atMost(Duration.ofSeconds(5)).until(() -> events("device.status").stream()
                .anyMatch(e -> e.at("/data/device").asText().equals("call-2") && e.at("/data/detail").asText().equals("STUCK")));
        // the press that raised the call, held, neither cancels it nor raises another
        assertThat(events("assist.call.raised")).hasSize(1);
        assertThat(events("assist.call.cancelled")).isEmpty();

        sim.gpio().mockPins().release("call-2");
        await().atMost(Duration.ofSeconds(5)).until(() -> lastHealth().at("/devices/call-2/state").asText().equals("ONLINE"));
        await().atMost(Duration.ofSeconds(5)).until(() -> events("device.status").stream()
                .anyMatch(e -> e.at("/data/device").asText().equals("call-2") && e.at("/data/detail").asText().equals("OK")));
        assertEverythingKeptTheContract();
    }

    @Test
    void withTheHubUnreachableLampsBuzzersAndEscalationGoOnAndEventsWaitInTheOutbox() throws Exception {
        startTerminal(Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(1));
        proxy.blackHole(true);
        proxy.cutAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> !sim.terminal().hub().status().connected());
        long seqBefore = events("").stream().mapToLong(e -> e.path("seq").asLong()).max().orElse(0);
        int before = hub.count();

        sim.press("call-1");
        await().atMost(Duration.ofSeconds(1)).until(() -> device("call-1.lamp", Lamp.class).showing() == LampPattern.SLOW);
        assertThat(device("call-1.buzzer", Buzzer.class).playing()).isEqualTo(BeepPattern.ONE);
        long blinks = sim.gpio().mockPins().changes("call-1.lamp");
        await().atMost(Duration.ofSeconds(3)).until(() -> sim.gpio().mockPins().changes("call-1.lamp") > blinks + 2);
        // escalation to post B after 1 s and to a supervisor after 2 s, with nobody listening
        await().atMost(Duration.ofSeconds(5)).until(() -> device("call-1.buzzer", Buzzer.class).playing() == BeepPattern.ALERT);
        assertThat(device("call-1.lamp", Lamp.class).showing()).isEqualTo(LampPattern.FAST);
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.terminal().assist().openCalls().get(0).level()
                == cardterm.terminal.assist.EscalationLevel.SUPERVISOR);
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.terminal().outbox().backlog().count() >= 3);
        assertThat(hub.count()).isEqualTo(before); // nothing reached the broker

        proxy.blackHole(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> events("assist.call.escalated").size() == 2);
        List<JsonNode> assist = events("assist.");
        assertThat(assist).extracting(e -> e.path("type").asText())
                .containsExactly("assist.call.raised", "assist.call.escalated", "assist.call.escalated");
        assertThat(assist).extracting(e -> e.at("/data/level").asText()).containsExactly("A", "B", "supervisor"); // post A at once
        List<Long> seqs = events("").stream().map(e -> e.path("seq").asLong()).filter(s -> s > seqBefore).sorted().toList();
        assertThat(seqs).isNotEmpty();
        assertThat(seqs.get(seqs.size() - 1) - seqs.get(0) + 1).isEqualTo(seqs.size()); // no gap
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.terminal().outbox().backlog().count() == 0);
        assertEverythingKeptTheContract();
    }
}
