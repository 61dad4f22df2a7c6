package cardterm.terminal.faults;

import static cardterm.terminal.faults.CommandsAcrossRestartsTest.ROOT;
import static cardterm.terminal.faults.CommandsAcrossRestartsTest.body;
import static cardterm.terminal.faults.CommandsAcrossRestartsTest.events;
import static cardterm.terminal.faults.CommandsAcrossRestartsTest.job;
import static cardterm.terminal.faults.CommandsAcrossRestartsTest.online;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.contract.SignedCommand;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at random moments during bursts of 50 commands, 20 times, on a real mosquitto and a
 * whole simulated terminal: every command the hub sent gets at least one reply (after a restart
 * if need be); every job accepted is accepted once (one {@code issuance.accepted}) and ends,
 * completed or failed {@code INTERRUPTED} (a job queued at a kill runs after the restart); the
 * events' {@code seq} is gap-free across all the kills.
 */
class CommandBurstKillTest {
    static final int ROUNDS = 20;
    static final int BURST = 50;
    static final int JOBS_PER_BURST = 10;

    @Test
    void everyCommandIsAnsweredAndEveryJobTakenOnceAcrossKills(@TempDir Path dir) throws Exception {
        Path key = SimTerminalProcess.keyFile(dir);
        Path work = dir.resolve("work");
        Random random = new Random(20261203);
        List<String> requestIds = new ArrayList<>();
        List<String> jobIds = new ArrayList<>();
        try (Mosquitto broker = Mosquitto.startPlain();
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "hub-burst", ROOT + "#", true, o -> {})) {
            for (int round = 0; round < ROUNDS; round++) {
                try (SimTerminalProcess t = SimTerminalProcess.start(broker.uri(), work, key,
                        dir.resolve("round-" + round + ".log"))) {
                    int r = round;
                    await().atMost(Duration.ofSeconds(60)).until(() -> online(hub, true) || !t.isAlive());
                    assertThat(t.isAlive()).as("round %d: the terminal died by itself; see %s", r, dir).isTrue();
                    t.type("feeder 100"); // the printer keeps its state across kills: the staff keep it loaded
                    for (int i = 0; i < BURST; i++) {
                        String id = "r-" + round + "-" + i;
                        requestIds.add(id);
                        String name;
                        ObjectNode args;
                        if (i % (BURST / JOBS_PER_BURST) == 0) {
                            String jobId = "J-" + round + "-" + i;
                            jobIds.add(jobId);
                            name = "issue";
                            args = job(jobId, round * BURST + i);
                        } else if (i % 3 == 0) {
                            name = "log-level";
                            args = JsonNodeFactory.instance.objectNode().put("logger", "cardterm.test")
                                    .put("level", "DEBUG");
                        } else if (i % 3 == 1) {
                            name = "rebirth";
                            args = JsonNodeFactory.instance.objectNode();
                        } else {
                            name = "call-ack";
                            args = JsonNodeFactory.instance.objectNode().put("callId", "C-none-" + i)
                                    .put("staffId", "S1001");
                        }
                        hub.publish(ROOT + "cmd/" + name,
                                SignedCommand.signed(SimTerminalProcess.KEY_TEXT, body(id, name, args)), 1, false);
                    }
                    // a random moment of the burst: 0 to 1.5 s after the last command was sent
                    long until = System.nanoTime() + Duration.ofMillis(random.nextInt(1500)).toNanos();
                    await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() >= until);
                    t.kill();
                }
            }
            // a last, calm run answers what is left and runs what was queued
            try (SimTerminalProcess t = SimTerminalProcess.start(broker.uri(), work, key, dir.resolve("last.log"))) {
                t.type("feeder 100");
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                        .until(() -> repliedTo(hub).containsAll(requestIds) && ended(hub).containsAll(accepted(hub)));
                assertThat(t.stop()).isIn(0, 130, 143);
            }

            assertThat(repliedTo(hub)).containsAll(requestIds);
            // one effect: each job accepted at most once, and every job the hub sent accepted once
            Map<String, Integer> acceptedCount = new HashMap<>();
            events(hub, "issuance.accepted").forEach(e -> acceptedCount.merge(e.at("/data/jobId").asText(), 1,
                    Integer::sum));
            assertThat(acceptedCount).as("jobs accepted more than once").allSatisfy((job, n) -> assertThat(n)
                .as(job + ": " + events(hub, "issuance.failed").stream().filter(e -> e.at("/data/jobId").asText()
                        .equals(job)).toList()).isEqualTo(1));
            // every job the hub sent was taken once, or every answer to its request was a refusal with
            // no effect: BUSY, or REPLAYED once it waited at the broker past the 300 s freshness
            // rule (the hub sends it again, freshly signed)
            Map<String, String> requestOfJob = new HashMap<>();
            for (String id : requestIds) {
                String[] parts = id.split("-");
                requestOfJob.put("J-" + parts[1] + "-" + parts[2], id);
            }
            for (String job : jobIds) {
                if (!acceptedCount.containsKey(job)) {
                    List<JsonNode> answers = hub.on(ROOT + "reply").stream().map(MqttRecorder.Message::json)
                            .filter(j -> j.path("requestId").asText().equals(requestOfJob.get(job))).toList();
                    assertThat(answers).as(job + " was never taken; its answers").isNotEmpty()
                            .allSatisfy(a -> assertThat(a.at("/error/code").asText()).isIn("BUSY", "REPLAYED"));
                } else {
                    List<JsonNode> answers = hub.on(ROOT + "reply").stream().map(MqttRecorder.Message::json)
                            .filter(j -> j.path("requestId").asText().equals(requestOfJob.get(job))).toList();
                    assertThat(answers).as(job + " was taken; its answers").isNotEmpty()
                            .allSatisfy(a -> assertThat(a.path("ok").asBoolean()).isTrue());
                }
            }
            assertThat(acceptedCount.keySet()).isSubsetOf(jobIds);
            assertThat(acceptedCount).as("jobs taken across the kills").hasSizeGreaterThanOrEqualTo(20);
            // every job ends: completed, or failed INTERRUPTED when a kill struck while it ran
            for (JsonNode f : events(hub, "issuance.failed")) {
                assertThat(f.at("/data/code").asText()).as(f.toString()).isEqualTo("INTERRUPTED");
            }
            assertThat(ended(hub)).containsAll(acceptedCount.keySet());
            // seq gap-free across the kills
            TreeSet<Long> seqs = new TreeSet<>();
            hub.messages(m -> m.topic().startsWith(ROOT + "event/")).forEach(m -> seqs.add(m.json().path("seq")
                    .asLong()));
            assertThat(seqs.first()).isEqualTo(1);
            assertThat(seqs.last()).isEqualTo(seqs.size());
        }
    }

    private static Set<String> repliedTo(MqttRecorder hub) {
        Set<String> ids = new HashSet<>();
        hub.on(ROOT + "reply").forEach(m -> ids.add(m.json().path("requestId").asText()));
        return ids;
    }

    private static Set<String> accepted(MqttRecorder hub) {
        Set<String> ids = new HashSet<>();
        events(hub, "issuance.accepted").forEach(e -> ids.add(e.at("/data/jobId").asText()));
        return ids;
    }

    private static Set<String> ended(MqttRecorder hub) {
        Set<String> ids = new HashSet<>();
        events(hub, "issuance.completed").forEach(e -> ids.add(e.at("/data/jobId").asText()));
        events(hub, "issuance.failed").forEach(e -> ids.add(e.at("/data/jobId").asText()));
        return ids;
    }
}
