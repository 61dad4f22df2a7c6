package cardterm.terminal.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthListener;
import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTracker;
import cardterm.devices.health.MonitoredDevice;
import cardterm.terminal.cli.CardtermMain;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.health.HealthMonitor;
import cardterm.terminal.health.SystemFigures;
import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.hub.HubLink;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxSettings;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import cardterm.terminal.testing.TcpProxy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cardterm monitor} against a real mosquitto carrying 50 terminals (each a real outbox, hub
 * link and health monitor publishing state and health): one is killed (its link cut, so the broker
 * publishes its will) and one has a jammed printer. Both stand out in {@code --once} and
 * {@code --json}; the 48 others are fine.
 */
class MonitorFleetTest {
    static final int TERMINALS = 50;
    static final String SITE_A = "wz-lucheng-01";
    static final String SITE_B = "wz-ouhai-02";
    static final ObjectMapper JSON = new ObjectMapper();

    static Mosquitto broker;
    static ScheduledExecutorService scheduler;
    static final List<Fake> fleet = new ArrayList<>();
    static TcpProxy proxy;

    @TempDir
    static Path dir;

    /** A device whose health the test sets. */
    static final class FakeDevice implements MonitoredDevice {
        final HealthTracker tracker;

        FakeDevice(String id, Clock clock) {
            tracker = new HealthTracker(id, clock);
            tracker.online();
        }

        @Override
        public String deviceId() {
            return tracker.deviceId();
        }

        @Override
        public DeviceHealth health() {
            return tracker.current();
        }

        @Override
        public void addHealthListener(HealthListener listener) {
            tracker.addListener(listener);
        }
    }

    /** A lightweight terminal: database, outbox, hub link and health monitor with two devices. */
    static final class Fake implements AutoCloseable {
        final String site;
        final String id;
        final Database db;
        final Outbox outbox;
        final HubLink link;
        final HealthMonitor health;
        final FakeDevice printer;

        Fake(Path dir, String site, String id, String uri, Clock clock) {
            this.site = site;
            this.id = id;
            db = Database.open(dir);
            outbox = Outbox.open(db, OutboxSettings.of(site, id), clock);
            HubSettings s = HubSettings.builder(site, id).uri(uri).clientId("cardterm-" + id)
                    .keepAlive(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(3))
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
            link = new HubLink(s, db, outbox, new CommandRegistry(), clock, "test-1.0");
            health = new HealthMonitor(clock, outbox, link::publishHealth, scheduler);
            printer = new FakeDevice("printer", clock);
            health.watch(printer);
            health.watch(new FakeDevice("reader.card", clock));
            health.section("supplies", () -> {
                var arr = JsonNodeFactory.instance.arrayNode();
                arr.addObject().put("device", "printer").put("supply", "ribbon").put("level", "ok").put("left", 480)
                        .put("detail", "YMCKO");
                arr.addObject().put("device", "printer").put("supply", "cards").put("level", "ok").putNull("left");
                return arr;
            });
            health.section("outbox", () -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                var b = outbox.backlog();
                o.put("backlog", b.count());
                if (b.oldest().isPresent()) {
                    o.put("oldestAgeMs", Math.max(0, clock.millis() - b.oldest().get().toEpochMilli()));
                } else {
                    o.putNull("oldestAgeMs");
                }
                return o;
            });
            health.section("system", new SystemFigures(dir)::read);
            health.section("broker", () -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                HubLink.Status st = link.status();
                o.put("connected", st.connected());
                o.put("since", st.since().toString());
                o.put("reconnects", Math.max(0, st.sessions() - 1));
                return o;
            });
            link.addHealthListener((d, h) -> health.publishNow());
            link.start();
            health.start(Duration.ofSeconds(60));
        }

        @Override
        public void close() {
            health.close();
            link.close();
            outbox.close();
            db.close();
        }
    }

    @BeforeAll
    static void startFleet() {
        broker = Mosquitto.builder().config("max_connections -1").start();
        scheduler = Executors.newScheduledThreadPool(2,
                r -> Thread.ofPlatform().daemon().name("fleet-sched").unstarted(r));
        Clock clock = Clock.system(ZoneId.of("Asia/Shanghai"));
        proxy = TcpProxy.to("127.0.0.1", broker.port());
        for (int i = 1; i <= TERMINALS; i++) {
            String site = i <= 30 ? SITE_A : SITE_B;
            String id = String.format("t-%04d", i);
            // t-0007 reaches the broker through a proxy that the test cuts
            String uri = i == 7 ? proxy.uri() : broker.uri();
            fleet.add(new Fake(dir.resolve(id), site, id, uri, clock));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> fleet.stream().allMatch(f -> f.link.isConnected()));
    }

    @AfterAll
    static void stopFleet() {
        fleet.forEach(Fake::close);
        if (proxy != null) {
            proxy.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static Fake terminal(String id) {
        return fleet.stream().filter(f -> f.id.equals(id)).findFirst().orElseThrow();
    }

    record Run(int exit, String out, String err) {}

    static Run monitor(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CardtermMain.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "monitor";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cl.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aKilledTerminalAndAJammedPrinterStandOutAmongFifty() throws Exception {
        // every terminal's state and health are retained and keep the contract
        try (MqttRecorder hub = MqttRecorder.start(broker.uri(), "cardterm/v1/+/+/health")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.messages().stream().map(m -> m.topic())
                    .distinct().count() == TERMINALS);
            hub.messages().stream().limit(5).forEach(m -> ContractSchemas.assertValid(m.topic(), m.payload()));
        }
        Run fine = monitor("--broker", broker.uri(), "--once");
        assertThat(fine.exit()).as(fine.out() + fine.err()).isZero();
        assertThat(fine.out()).contains("50 terminals, 0 with problems, 0 offline");

        // a printer jams at t-0023; t-0007 is killed: its connection is cut and it cannot come back
        terminal("t-0023").printer.tracker.set(HealthReason.JAM, "card jammed in the print station");
        try (MqttRecorder states = MqttRecorder.start(broker.uri(), "cardterm/v1/" + SITE_A + "/t-0007/state")) {
            proxy.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> states.messages().stream()
                    .anyMatch(m -> !m.json().path("online").asBoolean(true)));
            JsonNode will = states.messages().stream().filter(m -> !m.json().path("online").asBoolean(true))
                    .findFirst().orElseThrow().json();
            assertThat(will.has("ts")).as("the will (set at connect) has no ts: " + will).isFalse();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor("--broker", broker.uri(), "--once", "--json")
                .out().contains("card jammed"));

        Run table = monitor("--broker", broker.uri(), "--once");
        assertThat(table.exit()).as(table.out() + table.err()).isEqualTo(1);
        List<String> lines = table.out().lines().toList();
        assertThat(lines).hasSize(1 + TERMINALS + 1);
        // the two with problems come first, marked
        assertThat(lines.get(1)).startsWith("!!").contains("t-0007").contains("OFFLINE since");
        assertThat(lines.get(2)).startsWith("!!").contains("t-0023").contains("printer DEGRADED/JAM")
                .contains("card jammed in the print station");
        assertThat(lines.subList(3, 3 + TERMINALS - 2)).allSatisfy(l -> assertThat(l).doesNotStartWith("!!")
                .contains("online since").contains("2/2 online").contains("ribbon ok 480"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("50 terminals, 2 with problems, 1 offline");

        Run json = monitor("--broker", broker.uri(), "--once", "--json");
        assertThat(json.exit()).isEqualTo(1);
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.path("summary").path("terminals").asInt()).isEqualTo(TERMINALS);
        assertThat(doc.path("summary").path("withProblems").asInt()).isEqualTo(2);
        List<JsonNode> bad = new ArrayList<>();
        doc.path("terminals").forEach(t -> {
            if (!t.path("ok").asBoolean()) {
                bad.add(t);
            }
        });
        assertThat(bad).extracting(t -> t.path("terminal").asText()).containsExactly("t-0007", "t-0023");
        assertThat(bad.get(0).path("online").asBoolean()).isFalse();
        assertThat(bad.get(0).path("problems").toString()).contains("OFFLINE");
        assertThat(bad.get(1).path("devices").path("printer").path("reason").asText()).isEqualTo("JAM");
        assertThat(bad.get(1).path("problems").toString()).contains("printer DEGRADED/JAM");
        JsonNode okOne = doc.path("terminals").get(2);
        assertThat(okOne.path("backlog").isNumber()).isTrue();
        assertThat(okOne.path("supplies").size()).isEqualTo(2);
        assertThat(okOne.path("since").asText()).isNotEmpty();

        // one site only
        Run siteB = monitor("--broker", broker.uri(), "--once", "--json", "--site", SITE_B);
        assertThat(siteB.exit()).as(siteB.err()).isZero();
        JsonNode b = JSON.readTree(siteB.out());
        assertThat(b.path("summary").path("terminals").asInt()).isEqualTo(20);
        b.path("terminals").forEach(t -> assertThat(t.path("site").asText()).isEqualTo(SITE_B));

        // the printer cleared: only the killed terminal remains a problem
        terminal("t-0023").printer.tracker.online();
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor("--broker", broker.uri(), "--once").out()
                .contains("50 terminals, 1 with problems, 1 offline"));
    }

    @Test
    void anUnreachableBrokerIsOneLineAndExit1() {
        Run r = monitor("--broker", "tcp://127.0.0.1:" + Mosquitto.freePort(), "--once");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("cardterm monitor: cannot watch");
        Run bad = monitor("--broker", broker.uri(), "--site", "Bad Site");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(URI.create(broker.uri()).getPort()).isPositive();
    }
}
