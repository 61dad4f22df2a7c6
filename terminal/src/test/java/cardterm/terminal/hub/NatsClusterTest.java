package cardterm.terminal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.testing.CliCapture;
import cardterm.terminal.testing.MqttRecorder;
import cardterm.terminal.testing.NatsCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered central hub: three NATS nodes (config/nats/hub-node.conf) joined as a cluster, each
 * with JetStream and an MQTT listener. Six terminals spread over the nodes, each configured with
 * all three URIs, under a stream of events. Node 0 is killed: its terminals move to another node,
 * nothing is lost (a subscriber on node 1 sees every terminal's seq gap-free, each kind in order),
 * {@code monitor} on either remaining node sees every terminal online; the load over, node 0 back:
 * the cluster heals and {@code monitor} on it sees them all too.
 */
class NatsClusterTest {
    static final int TERMINALS = 6;

    @TempDir
    Path dir;

    final Clock clock = Clock.systemDefaultZone();

    @Test
    void aNodeKilledUnderLoadLosesNothingAndEveryNodeSeesEveryTerminal() throws Exception {
        List<Rig> rigs = new ArrayList<>();
        List<HubFaultTest.Producer> producers = new ArrayList<>();
        try (NatsCluster nats = NatsCluster.start(dir.resolve("nats"));
                MqttRecorder hub = MqttRecorder.start(nats.uri(1), "hub-n1", "cardterm/v1/+/+/event/#", true,
                        o -> {})) {
            try {
                for (int i = 0; i < TERMINALS; i++) {
                    List<String> uris = nats.urisFrom(i);
                    rigs.add(new Rig(dir.resolve("t" + i), "t-nats-" + i, uris.get(0), clock,
                            b -> b.uri(uris.get(1)).uri(uris.get(2))));
                }
                rigs.forEach(r -> r.link.start());
                await().atMost(Duration.ofSeconds(30)).until(() -> rigs.stream().allMatch(r -> r.link.isConnected()));
                for (Rig r : rigs) {
                    producers.add(new HubFaultTest.Producer(r.outbox, 50));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> hub.count() >= 300);

                nats.kill(0);
                long killedAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).until(() -> rigs.stream().allMatch(
                        r -> r.link.isConnected() && !nats.uri(0).equals(r.link.status().serverUri())));
                long movedMs = (System.nanoTime() - killedAt) / 1_000_000;
                int atMove = hub.count();
                await().atMost(Duration.ofSeconds(60)).until(() -> hub.count() >= atMove + 300);
                for (int node : new int[] {1, 2}) {
                    assertMonitorSeesAll(nats.uri(node));
                }

                // the load ends, the node comes back: it rejoins the cluster and catches up
                producers.forEach(HubFaultTest.Producer::stop);
                producers.forEach(p -> assertThat(p.failures).isEmpty());
                long healStart = System.nanoTime();
                nats.start(0);
                assertMonitorSeesAll(nats.uri(0));
                long healedMs = (System.nanoTime() - healStart) / 1_000_000;
                await().atMost(Duration.ofSeconds(60)).until(() -> rigs.stream().allMatch(r -> r.outbox.size() == 0));
                int published = producers.stream().mapToInt(HubFaultTest.Producer::count).sum();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> HubFaultTest.firstArrivals(hub).size() >= published);
                List<JsonNode> arrivals = HubFaultTest.firstArrivals(hub);
                for (int i = 0; i < TERMINALS; i++) {
                    String id = "t-nats-" + i;
                    List<JsonNode> mine = arrivals.stream().filter(e -> e.get("terminal").asText().equals(id)).toList();
                    Set<String> ids = new java.util.HashSet<>();
                    mine.forEach(e -> ids.add(e.get("id").asText()));
                    assertThat(ids).containsAll(producers.get(i).published.stream().map(EventEnvelope::id).toList());
                    HubFaultTest.assertGapFreeAndOrderedPerKind(mine);
                }
                System.out.printf("nats cluster: %d events from %d terminals; moved off the killed node in %d ms;"
                        + " the node back and monitor on it saw every terminal after %d ms%n", published, TERMINALS,
                        movedMs, healedMs);
            } finally {
                producers.forEach(HubFaultTest.Producer::stop);
                rigs.forEach(Rig::close);
            }
        }
    }

    /** {@code cardterm monitor --broker URI --once --json} lists every terminal, online. */
    static void assertMonitorSeesAll(String uri) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            CliCapture c = CliCapture.run("monitor", "--broker", uri, "--once", "--json", "--wait", "3");
            assertThat(c.exit()).as(c.err()).isIn(0, 1); // 1: a terminal without health is "a problem"
            JsonNode json = new ObjectMapper().readTree(c.out());
            Set<String> online = new TreeSet<>();
            for (JsonNode t : json.get("terminals")) {
                if (t.path("online").asBoolean(false)) {
                    online.add(t.get("terminal").asText());
                }
            }
            Set<String> all = new TreeSet<>();
            for (int i = 0; i < TERMINALS; i++) {
                all.add("t-nats-" + i);
            }
            assertThat(online).as("online at %s", uri).isEqualTo(all);
        });
    }
}
