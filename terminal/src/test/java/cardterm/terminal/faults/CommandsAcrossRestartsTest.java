package cardterm.terminal.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.contract.SignedCommand;
import cardterm.terminal.sim.DemoJobs;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's "each command takes effect at most once and gets a reply at least once", across
 * restarts, on a real mosquitto and a whole simulated terminal in a child JVM: a command sent while
 * the terminal is down arrives when it returns (persistent session) and is carried out once; the
 * same command again is answered from the stored reply with {@code "duplicate":true} and no second
 * effect, even after a restart; the same request id with another body is {@code REPLAYED}.
 */
class CommandsAcrossRestartsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT = "cardterm/v1/sim/sim-01/";

    static String body(String requestId, String name, ObjectNode args) {
        ObjectNode b = JSON.createObjectNode();
        b.put("requestId", requestId);
        b.put("issuedAt", OffsetDateTime.now().toString());
        b.put("terminal", "sim-01");
        b.put("name", name);
        b.set("args", args);
        return b.toString();
    }

    static ObjectNode job(String jobId, int n) {
        return DemoJobs.job(jobId, "S1001", 40 + n % 40, false, LocalDate.now(), n);
    }

    static List<JsonNode> replies(MqttRecorder hub, String requestId) {
        return hub.on(ROOT + "reply").stream().map(MqttRecorder.Message::json)
                .filter(j -> j.path("requestId").asText().equals(requestId)).toList();
    }

    /** Events of {@code type}, each once: delivery is at least once, the hub drops repeats by id. */
    static List<JsonNode> events(MqttRecorder hub, String type) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return hub.messages(m -> m.topic().startsWith(ROOT + "event/") && type.equals(m.json().path("type").asText()))
                .stream().map(MqttRecorder.Message::json).filter(e -> seen.add(e.path("id").asText())).toList();
    }

    @Test
    void aCommandSentWhileTheTerminalIsDownIsCarriedOutOnceWhenItReturnsAndRepeatsAreAnsweredFromDisk(
            @TempDir Path dir) throws Exception {
        Path key = SimTerminalProcess.keyFile(dir);
        Path work = dir.resolve("work");
        try (Mosquitto broker = Mosquitto.startPlain();
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "hub-restarts", ROOT + "#", true, o -> {})) {
            // first run: the terminal's persistent session and subscription are made at the broker
            try (SimTerminalProcess t = SimTerminalProcess.start(broker.uri(), work, key, dir.resolve("run1.log"))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> online(hub, true));
                assertThat(t.stop()).isIn(0, 130, 143);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> online(hub, false));

            // while it is down
            String issue = body("r-down-1", "issue", job("J-DOWN-1", 1));
            hub.publish(ROOT + "cmd/issue", SignedCommand.signed(SimTerminalProcess.KEY_TEXT, issue), 1, false);

            try (SimTerminalProcess t = SimTerminalProcess.start(broker.uri(), work, key, dir.resolve("run2.log"))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> !replies(hub, "r-down-1").isEmpty());
                JsonNode first = replies(hub, "r-down-1").get(0);
                assertThat(first.path("ok").asBoolean()).as(first.toString()).isTrue();
                assertThat(first.has("duplicate")).isFalse();
                await().atMost(Duration.ofSeconds(30)).until(() -> events(hub, "issuance.completed").stream()
                        .anyMatch(e -> e.at("/data/jobId").asText().equals("J-DOWN-1")));

                // the hub heard nothing (say) and sends the very same command again
                hub.publish(ROOT + "cmd/issue", SignedCommand.signed(SimTerminalProcess.KEY_TEXT, issue), 1, false);
                await().atMost(Duration.ofSeconds(10)).until(() -> replies(hub, "r-down-1").size() >= 2);
                JsonNode again = replies(hub, "r-down-1").get(1);
                assertThat(again.path("duplicate").asBoolean()).isTrue();
                assertThat(again.path("result")).isEqualTo(first.path("result"));
                t.kill();
            }

            // after a power cut: the same body is still a repeat (answered from disk), another body a replay
            try (SimTerminalProcess t = SimTerminalProcess.start(broker.uri(), work, key, dir.resolve("run3.log"))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> online(hub, true));
                hub.publish(ROOT + "cmd/issue", SignedCommand.signed(SimTerminalProcess.KEY_TEXT, issue), 1, false);
                String other = body("r-down-1", "issue", job("J-DOWN-2", 2));
                hub.publish(ROOT + "cmd/issue", SignedCommand.signed(SimTerminalProcess.KEY_TEXT, other), 1, false);
                await().atMost(Duration.ofSeconds(15)).until(() -> replies(hub, "r-down-1").size() >= 4);
                List<JsonNode> all = replies(hub, "r-down-1");
                assertThat(all.get(2).path("duplicate").asBoolean()).isTrue();
                assertThat(all.get(3).at("/error/code").asText()).isEqualTo("REPLAYED");
                assertThat(t.stop()).isIn(0, 130, 143);
            }
            // every reply, the repeats' included, as the contract's schema says
            for (MqttRecorder.Message m : hub.on(ROOT + "reply")) {
                assertThat(cardterm.terminal.contract.ContractSchemas.validate(m.topic(), m.payload()))
                        .as(m.text()).isEmpty();
            }
            // one effect: one job accepted and made, none for the replayed body
            assertThat(events(hub, "issuance.accepted")).extracting(e -> e.at("/data/jobId").asText())
                    .containsExactly("J-DOWN-1");
        }
    }

    static boolean online(MqttRecorder hub, boolean online) {
        List<MqttRecorder.Message> s = hub.on(ROOT + "state");
        return !s.isEmpty() && s.get(s.size() - 1).json().path("online").asBoolean() == online;
    }
}
