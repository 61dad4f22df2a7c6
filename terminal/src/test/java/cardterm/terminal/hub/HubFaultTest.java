package cardterm.terminal.hub;

import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventSink;
import static cardterm.terminal.hub.Rig.SITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthReason;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import cardterm.terminal.testing.TcpProxy;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub link under real faults, with a real mosquitto: broker down for 30 s, terminal process
 * killed (SIGKILL) again and again, network cut that TCP does not notice. In each, every event
 * whose publish returned reaches the broker, seq has no gap and each kind keeps its order.
 */
class HubFaultTest {
    @TempDir
    Path dir;

    final Clock clock = Clock.systemDefaultZone();

    /** Publishes one event every {@code periodMs} from a scheduler, recording what returned. */
    static final class Producer implements AutoCloseable {
        static final String[] TYPES = KillableTerminal.TYPES;
        final List<EventEnvelope> published = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        final AtomicLong n = new AtomicLong();

        Producer(EventSink sink, long periodMs) {
            scheduler.scheduleAtFixedRate(() -> {
                try {
                    long i = n.getAndIncrement();
                    published.add(sink.publish(TYPES[(int) (i % TYPES.length)], Rig.data("i", i)));
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, 0, periodMs, TimeUnit.MILLISECONDS);
        }

        int count() {
            return published.size();
        }

        @Override
        public void close() {
            stop();
        }

        /** Stops producing and waits for the last publish to return. */
        void stop() {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** First arrival of each event id, in arrival order. */
    static List<JsonNode> firstArrivals(MqttRecorder hub) {
        Map<String, JsonNode> byId = new java.util.LinkedHashMap<>();
        for (MqttRecorder.Message m : hub.messages()) {
            JsonNode e = m.json();
            byId.putIfAbsent(e.get("id").asText(), e);
        }
        return new ArrayList<>(byId.values());
    }

    /** Every seq from 1 to the highest arrived, and each kind's events arrived in seq order. */
    static void assertGapFreeAndOrderedPerKind(List<JsonNode> arrivals) {
        TreeSet<Long> seqs = new TreeSet<>();
        Map<String, Long> lastByKind = new HashMap<>();
        for (JsonNode e : arrivals) {
            long seq = e.get("seq").asLong();
            seqs.add(seq);
            String kind = e.get("type").asText().split("\\.")[0];
            Long last = lastByKind.put(kind, seq);
            assertThat(last == null || last < seq).as("kind %s: seq %d arrived after %d", kind, seq, last).isTrue();
        }
        assertThat(seqs.first()).isEqualTo(1);
        assertThat(seqs.last()).as("no seq missing").isEqualTo(seqs.size());
    }

    @Test
    void brokerDownFor30sDuringASteadyStreamLosesNothing() {
        Topics topics = new Topics(SITE, "t-outage");
        List<DeviceHealth> healths = new CopyOnWriteArrayList<>();
        try (Mosquitto broker = Mosquitto.builder().persistence(true).start();
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "hub-outage", topics.root() + "/event/#", true,
                        o -> {});
                Rig rig = new Rig(dir, "t-outage", broker.uri(), clock, b -> b)) {
            rig.link.addHealthListener((id, h) -> healths.add(h));
            rig.link.start();
            await().until(rig.link::isConnected);
            List<EventEnvelope> published;
            try (Producer producer = new Producer(rig.outbox, 20)) {
                published = producer.published;
                await().until(() -> producer.count() >= 250 && hub.count() >= 200);

                broker.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> !rig.link.isConnected());
                int atStop = producer.count();
                // 30 s down: the link keeps trying, events keep being stored
                await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31))
                        .until(() -> !rig.link.isConnected());
                assertThat(producer.count() - atStop).isGreaterThan(1000);
                assertThat(rig.outbox.size()).isGreaterThan(1000);
                broker.start();

                await().atMost(Duration.ofSeconds(20)).until(rig.link::isConnected);
                int atRestart = producer.count();
                await().until(() -> producer.count() >= atRestart + 250);
                producer.stop();
                assertThat(producer.failures).isEmpty();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.outbox.size() == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> firstArrivals(hub).size() >= published.size());

            List<JsonNode> arrivals = firstArrivals(hub);
            Set<String> arrived = new java.util.HashSet<>();
            arrivals.forEach(e -> arrived.add(e.get("id").asText()));
            assertThat(arrived).containsAll(published.stream().map(EventEnvelope::id).toList());
            assertGapFreeAndOrderedPerKind(arrivals);
            assertThat(healths).extracting(DeviceHealth::reason).contains(HealthReason.LINK_DOWN);
        }
    }

    @Test
    void killedAgainAndAgainEveryReturnedPublishReachesTheBroker() throws Exception {
        String terminal = "t-killed";
        Topics topics = new Topics(SITE, terminal);
        Path data = dir.resolve("data");
        Random random = new Random(42);
        Set<String> returned = ConcurrentHashMap.newKeySet();
        try (Mosquitto broker = Mosquitto.startPlain();
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "hub-kill", topics.root() + "/event/#", false,
                        o -> {})) {
            int kills = 22;
            int connectedRuns = 0;
            for (int k = 0; k < kills; k++) {
                Process child = startTerminal(data, broker.uri(), terminal, dir.resolve("child-" + k + ".log"));
                List<String> lines = new CopyOnWriteArrayList<>();
                Thread reader = Thread.ofPlatform().daemon().start(() -> readLines(child, lines));
                // a random moment: 0.05 to 1.5 s of publishing (the link connects after about 0.4 s)
                int killAfter = 50 + random.nextInt(1450);
                await().atMost(Duration.ofSeconds(60)).until(() -> !child.isAlive()
                        || lines.stream().filter(l -> l.startsWith("OK ")).count() >= killAfter);
                assertThat(child.isAlive()).as("child %d died by itself; see %s", k, dir).isTrue();
                connectedRuns += lines.stream().anyMatch(l -> l.endsWith(" connected")) ? 1 : 0;
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                reader.join(5_000);
                for (String l : lines) {
                    if (l.startsWith("OK ")) {
                        returned.add(l.split(" ")[2]);
                    }
                }
            }
            assertThat(returned.size()).isGreaterThan(kills);
            // most kills struck while the link was delivering, not before it connected
            assertThat(connectedRuns).isGreaterThan(kills / 2);
            assertThat(hub.count()).isGreaterThan(kills);

            // one last, clean run drains what the killed ones left
            try (Rig rig = new Rig(data, terminal, broker.uri(), clock, b -> b)) {
                rig.link.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> rig.outbox.size() == 0);
                long lastSeq = rig.outbox.lastSeq();
                await().atMost(Duration.ofSeconds(30)).until(() -> firstArrivals(hub).size() >= lastSeq);
            }
            List<JsonNode> arrivals = firstArrivals(hub);
            Set<String> arrived = new java.util.HashSet<>();
            arrivals.forEach(e -> arrived.add(e.get("id").asText()));
            assertThat(arrived).containsAll(returned);
            assertGapFreeAndOrderedPerKind(arrivals);
        }
    }

    private static Process startTerminal(Path data, String uri, String terminal, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx64m");
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KillableTerminal.class.getName());
        cmd.add(data.toString());
        cmd.add(uri);
        cmd.add(terminal);
        return new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    }

    private static void readLines(Process p, List<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process was killed
        }
    }

    @Test
    void aSilentNetworkCutIsFoundByKeepAliveAndNothingIsLost() {
        Topics topics = new Topics(SITE, "t-cut");
        List<DeviceHealth> healths = new CopyOnWriteArrayList<>();
        try (Mosquitto broker = Mosquitto.startPlain();
                TcpProxy proxy = TcpProxy.to("127.0.0.1", broker.port());
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "hub-cut", topics.root() + "/event/#", false,
                        o -> {});
                Rig rig = new Rig(dir, "t-cut", proxy.uri(), clock, b -> b.keepAlive(Duration.ofSeconds(1)))) {
            rig.link.addHealthListener((id, h) -> healths.add(h));
            rig.link.start();
            await().until(rig.link::isConnected);

            // idle: nothing in flight, only MQTT keep-alive can find the cut
            proxy.blackHole(true);
            long idleCut = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> !rig.link.isConnected());
            assertThat(Duration.ofNanos(System.nanoTime() - idleCut)).isLessThan(Duration.ofSeconds(4));
            assertThat(rig.link.health().reason()).isEqualTo(HealthReason.LINK_DOWN);
            assertThat(rig.link.status().reason()).contains("32000"); // Paho: timed out waiting for the server
            proxy.blackHole(false);
            await().atMost(Duration.ofSeconds(10)).until(rig.link::isConnected);

            // streaming: the cut strikes with events in flight
            try (Producer producer = new Producer(rig.outbox, 10)) {
                await().until(() -> producer.count() >= 200 && hub.count() >= 150);
                proxy.blackHole(true); // TCP stays up, nothing gets through
                long cutAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> !rig.link.isConnected());
                Duration detected = Duration.ofNanos(System.nanoTime() - cutAt);
                assertThat(detected).isLessThan(Duration.ofSeconds(5));
                int atCut = producer.count();
                await().until(() -> producer.count() >= atCut + 200);
                proxy.blackHole(false);
                await().atMost(Duration.ofSeconds(10)).until(rig.link::isConnected);
                int atHeal = producer.count();
                await().until(() -> producer.count() >= atHeal + 100);
                producer.stop();
                assertThat(producer.failures).isEmpty();
                await().atMost(Duration.ofSeconds(30)).until(() -> rig.outbox.size() == 0);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> firstArrivals(hub).size() >= producer.published.size());
                Set<String> arrived = new java.util.HashSet<>();
                firstArrivals(hub).forEach(e -> arrived.add(e.get("id").asText()));
                assertThat(arrived).containsAll(producer.published.stream().map(EventEnvelope::id).toList());
            }
            assertGapFreeAndOrderedPerKind(firstArrivals(hub));
            assertThat(healths).extracting(DeviceHealth::reason).containsSubsequence(HealthReason.OK,
                    HealthReason.LINK_DOWN, HealthReason.OK, HealthReason.LINK_DOWN, HealthReason.OK);
        }
    }
}
