package cardterm.terminal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.gpio.BeepPattern;
import cardterm.devices.gpio.Buzzer;
import cardterm.devices.gpio.Lamp;
import cardterm.devices.gpio.LampPattern;
import cardterm.devices.printer.CardDestination;
import cardterm.devices.printer.sim.EclPrinterModelListener;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.contract.SignedCommand;
import cardterm.terminal.issuance.IssuanceSettings;
import cardterm.terminal.sim.DemoJobs;
import cardterm.terminal.sim.SimulatedTerminal;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hub commands end to end on a real mosquitto, signed with the key file named in the config, as
 * the hub sends them: {@code call-ack}/{@code call-resolve} (first-ask ownership, ALREADY_OWNED
 * naming the owner, resolve by the owner or a supervisor only, unknown calls, acks after
 * resolution, two acks at once), {@code printer-test}, and a terminal without a CJK font (it
 * starts, shows {@code cardface} OFFLINE and refuses jobs without feeding a card). Every message
 * the terminal publishes is validated against the contract's schemas.
 */
class HubCommandsEndToEndTest {
    private static final String ROOT = "cardterm/v1/sim/sim-01/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private Mosquitto broker;
    private MqttRecorder hub;
    private SimulatedTerminal sim;
    private String key;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> cardPath = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        broker = Mosquitto.startPlain();
        hub = MqttRecorder.start(broker.uri(), "cardterm/v1/#");
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        hub.close();
        broker.close();
    }

    private void startTerminal(TerminalConfig config) throws Exception {
        sim = SimulatedTerminal.start(config, work, new PrintStream(OutputStream.nullOutputStream()), 0,
                Clock.system(config.terminal().timeZone()), "test");
        key = Files.readString(config.hub().commandKeyFile(), StandardCharsets.UTF_8);
        sim.printerSimulator().addListener(new EclPrinterModelListener() {
            @Override
            public void cardEnteredStation() {
                cardPath.add("fed");
            }

            @Override
            public void cardEjected(CardDestination destination, boolean printed) {
                cardPath.add(destination + (printed ? " printed" : " blank"));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.on(ROOT + "state").stream()
                .anyMatch(m -> m.json().path("online").asBoolean()));
    }

    private TerminalConfig simConfig() {
        return TerminalConfig.forSimulation(work.resolve("data"), broker.uri());
    }

    /** Publishes a signed command as the hub does and waits for its reply. */
    private JsonNode command(String name, String argsJson) throws Exception {
        return reply(send(name, argsJson));
    }

    private String send(String name, String argsJson) throws Exception {
        String requestId = "R-" + requests.incrementAndGet();
        ObjectNode body = JSON.createObjectNode();
        body.put("requestId", requestId);
        body.put("issuedAt", OffsetDateTime.now().toString());
        body.put("terminal", TerminalConfig.SIM_TERMINAL_ID);
        body.put("name", name);
        body.set("args", JSON.readTree(argsJson));
        hub.publish(ROOT + "cmd/" + name, SignedCommand.signed(key, body.toString()), 1, false);
        return requestId;
    }

    private JsonNode reply(String requestId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> replyTo(requestId).isPresent());
        return replyTo(requestId).get();
    }

    private Optional<JsonNode> replyTo(String requestId) {
        return hub.on(ROOT + "reply").stream().map(MqttRecorder.Message::json)
                .filter(r -> requestId.equals(r.path("requestId").asText())).findFirst();
    }

    private List<JsonNode> events(String type) {
        return hub.messages(m -> m.topic().startsWith(ROOT + "event/") && type.equals(m.json().path("type").asText()))
                .stream().map(m -> m.json().path("data")).toList();
    }

    private String raiseCall(String button) {
        int before = events("assist.call.raised").size();
        sim.press(button);
        await().atMost(Duration.ofSeconds(5)).until(() -> events("assist.call.raised").size() > before);
        return events("assist.call.raised").get(before).path("callId").asText();
    }

    private <T> T device(String id, Class<T> type) {
        return sim.terminal().assist().devices().stream().filter(d -> d.deviceId().equals(id))
                .map(type::cast).findFirst().orElseThrow();
    }

    private void assertEverythingKeptTheContract() {
        List<String> violations = hub.messages().stream()
                .filter(m -> !m.topic().contains("/cmd/"))
                .flatMap(m -> ContractSchemas.validate(m.topic(), m.payload()).stream()
                        .map(e -> m.topic().substring(ROOT.length()) + " " + m.json().path("type").asText() + ": " + e))
                .distinct().toList();
        assertThat(violations).isEmpty();
    }

    @Test
    void callAckAndResolveThroughSignedHubCommands() throws Exception {
        startTerminal(simConfig());
        String call = raiseCall("call-1");

        // first ask owns it: lamp steady, buzzer beeps twice
        JsonNode first = command("call-ack", "{\"callId\":\"" + call + "\",\"staffId\":\"S1001\"}");
        assertThat(first.path("ok").asBoolean()).isTrue();
        assertThat(first.at("/result/owner").asText()).isEqualTo("S1001");
        assertThat(first.at("/result/state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(device("call-1.lamp", Lamp.class).showing()).isEqualTo(LampPattern.ON);
        assertThat(device("call-1.buzzer", Buzzer.class).playing()).isEqualTo(BeepPattern.TWO);

        // a later ack by another: ALREADY_OWNED naming the owner
        JsonNode second = command("call-ack", "{\"callId\":\"" + call + "\",\"staffId\":\"S1002\"}");
        assertThat(second.path("ok").asBoolean()).isFalse();
        assertThat(second.at("/error/code").asText()).isEqualTo("ALREADY_OWNED");
        assertThat(second.at("/error/owner").asText()).isEqualTo("S1001");
        assertThat(second.at("/error/message").asText()).contains("S1001");

        // the owner asking again changes nothing
        assertThat(command("call-ack", "{\"callId\":\"" + call + "\",\"staffId\":\"S1001\"}").path("ok").asBoolean())
                .isTrue();

        // only the owner or a supervisor resolves
        JsonNode notOwner = command("call-resolve", "{\"callId\":\"" + call + "\",\"staffId\":\"S1002\"}");
        assertThat(notOwner.at("/error/code").asText()).isEqualTo("NOT_OWNER");
        assertThat(notOwner.at("/error/message").asText()).contains("S1001");
        assertThat(sim.terminal().assist().call(call).orElseThrow().state().open()).isTrue();
        JsonNode resolved = command("call-resolve", "{\"callId\":\"" + call + "\",\"staffId\":\"S1001\"}");
        assertThat(resolved.path("ok").asBoolean()).isTrue();
        assertThat(resolved.at("/result/state").asText()).isEqualTo("RESOLVED");
        assertThat(device("call-1.lamp", Lamp.class).showing()).isEqualTo(LampPattern.OFF);

        // acks and resolves after resolution, unknown call ids
        JsonNode late = command("call-ack", "{\"callId\":\"" + call + "\",\"staffId\":\"S1002\"}");
        assertThat(late.at("/error/code").asText()).isEqualTo("ALREADY_CLOSED");
        assertThat(command("call-resolve", "{\"callId\":\"" + call + "\",\"staffId\":\"S1001\"}")
                .at("/error/code").asText()).isEqualTo("ALREADY_CLOSED");
        JsonNode unknown = command("call-ack", "{\"callId\":\"no-such-call\",\"staffId\":\"S1001\"}");
        assertThat(unknown.at("/error/code").asText()).isEqualTo("UNKNOWN_CALL");

        // a supervisor may resolve a call someone else owns
        String other = raiseCall("call-2");
        command("call-ack", "{\"callId\":\"" + other + "\",\"staffId\":\"S1002\"}");
        JsonNode bySupervisor = command("call-resolve", "{\"callId\":\"" + other + "\",\"staffId\":\"S9001\"}");
        assertThat(bySupervisor.path("ok").asBoolean()).isTrue();

        // two acks at once: exactly one owner, the other told who it is
        String third = raiseCall("call-1");
        String a = send("call-ack", "{\"callId\":\"" + third + "\",\"staffId\":\"S1001\"}");
        String b = send("call-ack", "{\"callId\":\"" + third + "\",\"staffId\":\"S2001\"}");
        JsonNode ra = reply(a);
        JsonNode rb = reply(b);
        assertThat(List.of(ra.path("ok").asBoolean(), rb.path("ok").asBoolean())).containsExactlyInAnyOrder(true, false);
        JsonNode winner = ra.path("ok").asBoolean() ? ra : rb;
        JsonNode loser = ra.path("ok").asBoolean() ? rb : ra;
        assertThat(loser.at("/error/code").asText()).isEqualTo("ALREADY_OWNED");
        assertThat(loser.at("/error/owner").asText()).isEqualTo(winner.at("/result/owner").asText());

        // bad args: INVALID with every problem, as {field, message}
        JsonNode invalid = command("call-ack", "{\"callId\":\"\"}");
        assertThat(invalid.at("/error/code").asText()).isEqualTo("INVALID");
        assertThat(invalid.at("/error/problems")).hasSize(2);
        assertThat(invalid.at("/error/problems").findValuesAsText("field")).containsExactlyInAnyOrder("callId", "staffId");

        // a wrong signature: refused, no effect
        String forgedId = "R-forged";
        String forged = "{\"requestId\":\"" + forgedId + "\",\"issuedAt\":\"" + OffsetDateTime.now()
                + "\",\"terminal\":\"sim-01\",\"name\":\"call-resolve\",\"args\":{\"callId\":\"" + third
                + "\",\"staffId\":\"S9001\"}}";
        hub.publish(ROOT + "cmd/call-resolve", SignedCommand.signed("not-the-terminal-key-0123456789abcdef", forged), 1,
                false);
        assertThat(reply(forgedId).at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(sim.terminal().assist().call(third).orElseThrow().state().open()).isTrue();

        // events: who acted, and the audit trail names the staff member
        await().atMost(Duration.ofSeconds(5)).until(() -> events("assist.call.resolved").size() == 2);
        assertThat(events("assist.call.acknowledged")).extracting(d -> d.path("staffId").asText())
                .containsExactly("S1001", "S1002", winner.at("/result/owner").asText());
        assertThat(events("assist.call.resolved")).extracting(d -> d.path("staffId").asText())
                .containsExactly("S1001", "S9001");
        await().atMost(Duration.ofSeconds(5)).until(() -> events("audit.command.refused").size() == 2);
        assertThat(events("audit.command.refused")).extracting(d -> d.path("code").asText())
                .containsExactly("INVALID", "UNAUTHENTICATED");
        assertThat(events("audit.command.executed")).allSatisfy(d -> assertThat(d.path("staffId").asText()).isNotEmpty());
        assertEverythingKeptTheContract();
    }

    @Test
    void printerTestPrintsTheTestCardAndTellsHowItEnded() throws Exception {
        startTerminal(simConfig());
        JsonNode started = command("printer-test", "{}");
        assertThat(started.path("ok").asBoolean()).isTrue();
        assertThat(started.at("/result/started").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> events("device.printer-test").size() == 1);
        JsonNode done = events("device.printer-test").get(0);
        assertThat(done.path("ok").asBoolean()).isTrue();
        assertThat(done.path("ribbon").asText()).isEqualTo("YMCKO");
        assertThat(done.path("requestId").asText()).isEqualTo(started.path("requestId").asText());
        assertThat(cardPath).containsExactly("OUTPUT_TRAY printed");

        // a jam: the card goes to the reject box, the event says so
        sim.printerSimulator().printer().jamOnNextPrint(false);
        assertThat(command("printer-test", "{}").path("ok").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> events("device.printer-test").size() == 2);
        JsonNode jam = events("device.printer-test").get(1);
        assertThat(jam.path("ok").asBoolean()).isFalse();
        assertThat(jam.path("code").asText()).isEqualTo("JAM");
        assertThat(jam.path("cardRejected").asBoolean()).isTrue();
        assertThat(cardPath).endsWith("REJECT_BOX blank");

        // it takes no args
        JsonNode invalid = command("printer-test", "{\"colour\":true}");
        assertThat(invalid.at("/error/code").asText()).isEqualTo("INVALID");
        assertThat(invalid.at("/error/problems/0/field").asText()).isEqualTo("colour");
        assertEverythingKeptTheContract();
    }

    @Test
    void aConfiguredCardFontThatIsMissingLeavesTheCardFaceOfflineAndJobsRefusedWithoutFeedingACard()
            throws Exception {
        TerminalConfig c = simConfig();
        IssuanceSettings i = c.issuance();
        // the path is quoted in messages to the hub; an 18-digit run in it (a temporary directory's
        // random name can have one) must leave masked, as the contract's personal-data test demands
        Path font = work.resolve("fonts-330302195201011231").resolve("no-such-font.ttc");
        startTerminal(c.withIssuance(new IssuanceSettings(i.elderlyAge(), i.concessions(),
                i.concessionByDefault(), i.promisedDuration(), Optional.of(font))));

        await().atMost(Duration.ofSeconds(10)).until(() -> hub.on(ROOT + "health").stream()
                .anyMatch(m -> m.json().at("/devices/cardface/state").asText().equals("OFFLINE")));
        JsonNode health = hub.on(ROOT + "health").get(hub.on(ROOT + "health").size() - 1).json();
        assertThat(health.at("/devices/cardface/reason").asText()).isEqualTo("CONFIGURATION_ERROR");
        assertThat(health.at("/devices/cardface/message").asText()).contains("remove issuance.cardFont");
        assertThat(health.path("status").asText()).isEqualTo("OFFLINE");

        ObjectNode job = DemoJobs.job("J-20261126-0042", "S1001", 66, false, LocalDate.now(), 1);
        JsonNode refused = command("issue", job.toString());
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.at("/error/code").asText()).isEqualTo("CARD_FACE_UNAVAILABLE");
        assertThat(refused.at("/error/message").asText()).contains("remove issuance.cardFont")
                .contains("fonts-330302********1231").doesNotContain("330302195201011231");
        assertThat(events("issuance.accepted")).isEmpty();
        assertThat(cardPath).isEmpty();

        // the rest of the terminal works: a call is raised and acknowledged
        String call = raiseCall("call-1");
        assertThat(command("call-ack", "{\"callId\":\"" + call + "\",\"staffId\":\"S1001\"}").path("ok").asBoolean())
                .isTrue();
        assertEverythingKeptTheContract();
    }

    @Test
    void withAFontAnIssueCommandCompletesAndTheCardFaceIsOnline()
            throws Exception {
        startTerminal(simConfig());
        ObjectNode job = DemoJobs.job("J-20261126-0043", "S1001", 40, false, LocalDate.now(), 2);
        assertThat(command("issue", job.toString()).path("ok").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> !events("issuance.completed").isEmpty());
        // issuance.completed is stored before the card is ejected: it may reach the hub first
        await().atMost(Duration.ofSeconds(10)).until(() -> cardPath.size() >= 2);
        assertThat(cardPath).containsExactly("fed", "OUTPUT_TRAY printed");
        assertThat(hub.on(ROOT + "health").get(hub.on(ROOT + "health").size() - 1).json()
                .at("/devices/cardface/state").asText()).isEqualTo("ONLINE");
        assertEverythingKeptTheContract();
    }
}
