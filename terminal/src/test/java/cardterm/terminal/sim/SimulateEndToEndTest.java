package cardterm.terminal.sim;

import cardterm.terminal.testing.SecretFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.cli.CardtermMain;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's "done when": {@code cardterm simulate} against a real mosquitto carries, within
 * 10 s of start, the retained state and health, an assistance call raised, acknowledged and
 * resolved, and one completed issuance; every message follows the hub contract's schemas; a saved
 * PNG of the printed face; a clean stop publishes the offline state.
 */
class SimulateEndToEndTest {
    private static final String ROOT = "cardterm/v1/sim/sim-01/";
    /**
     * The console of an in-process simulate: never this JVM's standard input, which carries the
     * test runner's own commands. With {@code --duration}, its end does not stop the run.
     */
    private static final InputStream NO_INPUT = InputStream.nullInputStream();
    private Mosquitto broker;
    private MqttRecorder hub;

    @BeforeEach
    void startBroker() {
        broker = Mosquitto.startPlain();
        hub = MqttRecorder.start(broker.uri(), "cardterm/v1/#");
    }

    @AfterEach
    void stop() {
        hub.close();
        broker.close();
    }

    @Test
    void demoScenarioReachesTheBrokerWithinTenSecondsOnTheContract(@TempDir Path work) throws Exception {
        long started = System.nanoTime();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> CardtermMain.execute(NO_INPUT,
                "simulate", "--hub", broker.uri(), "--work-dir", work.toString(), "--duration", "12"));

        await().atMost(Duration.ofSeconds(10)).until(() ->
                has("state", "\"online\":true") && has("health", "\"status\"")
                        && hasEvent("assist.call.raised") && hasEvent("assist.call.acknowledged")
                        && hasEvent("assist.call.resolved") && hasEvent("issuance.completed"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> has("state", "\"online\":false"));

        // every message the terminal published follows the contract
        List<String> violations = hub.messages().stream()
                .flatMap(m -> ContractSchemas.validate(m.topic(), m.payload()).stream()
                        .map(e -> m.topic().substring(ROOT.length()) + " " + m.json().path("type").asText() + ": " + e))
                .distinct().toList();
        assertThat(violations).isEmpty();
        // seq gap-free from 1
        List<Long> seqs = hub.messages(m -> m.topic().startsWith(ROOT + "event/"))
                .stream().map(m -> m.json().path("seq").asLong()).sorted().distinct().toList();
        assertThat(seqs.get(0)).isEqualTo(1);
        assertThat(seqs.get(seqs.size() - 1)).isEqualTo(seqs.size());
        // the completed card is the elderly citizen's (65: discount) and a face was saved
        JsonNode done = events("issuance.completed").get(0).json().path("data");
        assertThat(done.path("elderly").asBoolean()).isTrue();
        assertThat(done.path("concession").asText()).isEqualTo("discount");
        try (var cards = Files.list(work.resolve("cards"))) {
            assertThat(cards.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(1);
        }
        // no personal data left the terminal: names and full ID numbers never appear
        for (MqttRecorder.Message m : hub.messages()) {
            assertThat(m.text()).doesNotContainPattern("[0-9]{17}[0-9X]").doesNotContain("张三", "李四", "王五");
        }
    }

    @Test
    void startedAgainOnTheSameWorkDirItCarriesOn(@TempDir Path work) {
        assertThat(CardtermMain.execute(NO_INPUT, "simulate", "--hub", broker.uri(), "--work-dir", work.toString(),
                "--scenario", "none", "--duration", "2")).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> has("state", "\"online\":false"));
        long firstBdSeq = lastState().path("bdSeq").asLong();
        hub.clear();
        assertThat(CardtermMain.execute(NO_INPUT, "simulate", "--hub", broker.uri(), "--work-dir", work.toString(),
                "--scenario", "none", "--duration", "2")).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> has("state", "\"online\":false"));
        assertThat(lastState().path("bdSeq").asLong()).isEqualTo(firstBdSeq + 1);
    }

    @Test
    void withoutDurationTheEndOfConsoleInputStopsTheRunCleanly(@TempDir Path work) throws Exception {
        InputStream lines = new ByteArrayInputStream("status\n".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> CardtermMain.execute(lines,
                "simulate", "--hub", broker.uri(), "--work-dir", work.toString(), "--scenario", "none"));
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> has("state", "\"online\":false"));
    }

    @Test
    void signedCommandsReachASimulatedTerminalOnAnExternalBroker(@TempDir Path work) throws Exception {
        Path key = work.resolve("hub.key");
        String keyText = "simulated-hub-key-0123456789-abcdefghij";
        SecretFiles.write(key, keyText + "\n");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> CardtermMain.execute(NO_INPUT, "simulate",
                "--hub", broker.uri(), "--work-dir", work.resolve("w").toString(), "--scenario", "none",
                "--duration", "8", "--command-key", key.toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> has("state", "\"online\":true"));
        String good = body("r-1", "rebirth");
        hub.publish(ROOT + "cmd/rebirth", cardterm.terminal.contract.SignedCommand.signed(keyText, good), 1, false);
        String forged = body("r-2", "rebirth");
        hub.publish(ROOT + "cmd/rebirth", cardterm.terminal.contract.SignedCommand.signed("another-key-0123456789-abcdefghijk", forged), 1, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.on(ROOT + "reply").size() >= 2);
        JsonNode r1 = reply("r-1");
        JsonNode r2 = reply("r-2");
        assertThat(r1.path("ok").asBoolean()).isTrue();
        assertThat(r2.path("ok").asBoolean()).isFalse();
        assertThat(r2.path("error").path("code").asText()).isEqualTo("UNAUTHENTICATED");
        await().atMost(Duration.ofSeconds(5)).until(() -> hasEvent("audit.command.refused"));
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    }

    private static String body(String requestId, String name) {
        return "{\"requestId\":\"" + requestId + "\",\"issuedAt\":\"" + java.time.OffsetDateTime.now()
                + "\",\"terminal\":\"sim-01\",\"name\":\"" + name + "\",\"args\":{}}";
    }

    private JsonNode reply(String requestId) {
        return hub.on(ROOT + "reply").stream().map(MqttRecorder.Message::json)
                .filter(j -> j.path("requestId").asText().equals(requestId)).findFirst().orElseThrow();
    }

    private JsonNode lastState() {
        List<MqttRecorder.Message> s = hub.on(ROOT + "state");
        return s.get(s.size() - 1).json();
    }

    private boolean has(String suffix, String text) {
        return hub.on(ROOT + suffix).stream().anyMatch(m -> m.text().contains(text));
    }

    private boolean hasEvent(String type) {
        return !events(type).isEmpty();
    }

    private List<MqttRecorder.Message> events(String type) {
        return hub.messages(m -> m.topic().startsWith(ROOT + "event/") && type.equals(m.json().path("type").asText()));
    }
}
