package cardterm.terminal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several brokers per terminal: two mosquitto processes, a terminal configured with both URIs.
 * The broker in use is killed (SIGKILL) under a stream of events: the terminal carries on on the
 * other; the first comes back and the second is killed: it moves back. A subscriber on each
 * broker; together they see every event, seq gap-free, each kind in order on each broker.
 * Persistent sessions are per broker: each broker keeps the terminal's own session.
 */
class BrokerFailoverTest {
    static final String TERMINAL = "t-failover";

    @TempDir
    Path dir;

    final Clock clock = Clock.systemDefaultZone();

    @Test
    void theTerminalMovesToTheOtherBrokerAndBackLosingNothing() {
        Topics topics = new Topics(Rig.SITE, TERMINAL);
        String filter = topics.root() + "/event/#";
        try (Mosquitto first = Mosquitto.builder().persistence(true).start();
                Mosquitto second = Mosquitto.builder().persistence(true).start();
                MqttRecorder hub1 = MqttRecorder.start(first.uri(), "hub-1", filter, true, o -> {});
                MqttRecorder hub2 = MqttRecorder.start(second.uri(), "hub-2", filter, true, o -> {});
                Rig rig = new Rig(dir, TERMINAL, first.uri(), clock, b -> b.uri(second.uri()))) {
            rig.link.start();
            await().until(rig.link::isConnected);
            assertThat(rig.link.status().serverUri()).isEqualTo(first.uri());
            List<EventEnvelope> published;
            try (HubFaultTest.Producer producer = new HubFaultTest.Producer(rig.outbox, 10)) {
                published = producer.published;
                await().until(() -> producer.count() >= 200 && hub1.count() >= 150);

                first.kill(); // the broker in use dies
                long killedAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(20)).until(() -> rig.link.isConnected()
                        && second.uri().equals(rig.link.status().serverUri()));
                long movedMs = (System.nanoTime() - killedAt) / 1_000_000;
                int onSecond = producer.count();
                await().until(() -> producer.count() >= onSecond + 200 && hub2.count() >= 150);

                first.start(); // back, same port, its persistence
                await().atMost(Duration.ofSeconds(20)).until(hub1::isConnected);
                second.kill(); // now the other dies: back to the first
                await().atMost(Duration.ofSeconds(20)).until(() -> rig.link.isConnected()
                        && first.uri().equals(rig.link.status().serverUri()));
                int back = producer.count();
                await().until(() -> producer.count() >= back + 200);
                producer.stop();
                assertThat(producer.failures).isEmpty();
                System.out.printf("failover: moved to the second broker %d ms after the first was killed%n", movedMs);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.outbox.size() == 0);
            // what the second broker acknowledged before it died reached its subscriber; bring it
            // back so nothing queued there for hub2 is left unread
            second.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> union(hub1, hub2).size() >= published.size());

            Map<String, JsonNode> arrived = union(hub1, hub2);
            Set<String> ids = new HashSet<>(arrived.keySet());
            assertThat(ids).containsAll(published.stream().map(EventEnvelope::id).toList());
            TreeSet<Long> seqs = new TreeSet<>();
            arrived.values().forEach(e -> seqs.add(e.get("seq").asLong()));
            assertThat(seqs.first()).isEqualTo(1);
            assertThat(seqs.last()).as("no seq missing").isEqualTo(seqs.size());
            assertOrderedPerKind(HubFaultTest.firstArrivals(hub1));
            assertOrderedPerKind(HubFaultTest.firstArrivals(hub2));
            assertThat(HubFaultTest.firstArrivals(hub2)).hasSizeGreaterThanOrEqualTo(150);
        }
    }

    /** First arrival of each event id at either subscriber. */
    static Map<String, JsonNode> union(MqttRecorder... hubs) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (MqttRecorder h : hubs) {
            for (JsonNode e : HubFaultTest.firstArrivals(h)) {
                byId.putIfAbsent(e.get("id").asText(), e);
            }
        }
        return byId;
    }

    /** Each kind's events arrived in seq order (the outbox drains by priority, not in seq order across kinds). */
    static void assertOrderedPerKind(List<JsonNode> arrivals) {
        Map<String, Long> lastByKind = new java.util.HashMap<>();
        for (JsonNode e : arrivals) {
            long seq = e.get("seq").asLong();
            String kind = e.get("type").asText().split("\\.")[0];
            Long last = lastByKind.put(kind, seq);
            assertThat(last == null || last < seq).as("kind %s: seq %d arrived after %d", kind, seq, last).isTrue();
        }
    }
}
