package cardterm.terminal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthListener;
import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTracker;
import cardterm.devices.health.MonitoredDevice;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.event.EventKind;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxEntry;
import cardterm.terminal.store.OutboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health: device changes become device.status events (in a real outbox) and health publishes that keep the contract. */
class HealthMonitorTest {
    static final String TOPIC = "cardterm/v1/wz-lucheng-01/t-0042/health";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final Clock clock = Clock.system(ZoneId.of("Asia/Shanghai"));
    ScheduledExecutorService scheduler;
    Database db;
    Outbox outbox;
    final List<ObjectNode> published = new CopyOnWriteArrayList<>();

    static final class Device implements MonitoredDevice {
        final HealthTracker t;

        Device(String id, Clock clock) {
            t = new HealthTracker(id, clock);
            t.online();
        }

        @Override
        public String deviceId() {
            return t.deviceId();
        }

        @Override
        public DeviceHealth health() {
            return t.current();
        }

        @Override
        public void addHealthListener(HealthListener l) {
            t.addListener(l);
        }
    }

    @BeforeEach
    void open() {
        scheduler = Executors.newScheduledThreadPool(1);
        db = Database.open(dir);
        outbox = Outbox.open(db, OutboxSettings.of("wz-lucheng-01", "t-0042"), clock);
    }

    @AfterEach
    void close() {
        scheduler.shutdownNow();
        outbox.close();
        db.close();
    }

    HealthMonitor monitor() {
        HealthMonitor m = new HealthMonitor(clock, outbox, published::add, scheduler);
        m.section("supplies", () -> JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode()
                .put("device", "printer").put("supply", "ribbon").put("level", "low").put("left", 42)));
        m.section("outbox", () -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("backlog", outbox.backlog().count());
            o.putNull("oldestAgeMs");
            return o;
        });
        m.section("system", new SystemFigures(dir)::read);
        m.section("broker", () -> JsonNodeFactory.instance.objectNode().put("connected", true)
                .put("since", clock.instant().toString()).put("reconnects", 0));
        return m;
    }

    @Test
    void aDeviceChangeIsStoredAsAnEventAndPublishedAsHealthThatKeepsTheContract() {
        Device printer = new Device("printer", clock);
        Device reader = new Device("reader.card", clock);
        try (HealthMonitor m = monitor()) {
            m.watch(printer);
            m.watch(reader);
            m.start(Duration.ofHours(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
            assertThat(published.get(0).path("status").asText()).isEqualTo("ONLINE");

            printer.t.set(HealthReason.JAM, "card jammed");
            await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
            ObjectNode h = published.get(1);
            ContractSchemas.assertValid(TOPIC, h.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(h.path("status").asText()).isEqualTo("DEGRADED");
            JsonNode p = h.path("devices").path("printer");
            assertThat(p.path("state").asText()).isEqualTo("DEGRADED");
            assertThat(p.path("reason").asText()).isEqualTo("JAM");
            assertThat(p.path("message").asText()).isEqualTo("card jammed");
            // times as the contract writes them: milliseconds and the terminal's offset, like events
            assertThat(p.path("since").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+08:00");
            assertThat(h.path("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+08:00");
            assertThat(h.path("system").path("uptimeMs").isIntegralNumber()).isTrue();
            assertThat(h.path("system").path("diskFreeBytes").asLong()).isPositive();
            assertThat(h.path("system").path("heapMaxBytes").asLong()).isPositive();

            List<OutboxEntry> events = outbox.read(EventKind.DEVICE, 0, 10).entries();
            assertThat(events).hasSize(1);
            ContractSchemas.assertValid("cardterm/v1/wz-lucheng-01/t-0042/event/device", events.get(0).payload());

            reader.t.set(HealthReason.SERVICE_DOWN, "pcscd stopped");
            await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 3);
            assertThat(published.get(2).path("status").asText()).isEqualTo(DeviceState.OFFLINE.name());

            // the same health again is no change: no event, no publish
            reader.t.set(HealthReason.SERVICE_DOWN, "pcscd stopped");
            assertThat(outbox.read(EventKind.DEVICE, 0, 10).entries()).hasSize(2);
        }
    }

    @Test
    void healthIsPublishedAtLeastEveryInterval() {
        try (HealthMonitor m = monitor()) {
            m.watch(new Device("printer", clock));
            m.start(Duration.ofMillis(100));
            await().atMost(Duration.ofSeconds(5)).until(() -> published.size() >= 4);
            published.forEach(h -> ContractSchemas.assertValid(TOPIC, h.toString().getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void systemFiguresFromThermalZonesMeminfoAndUptime() throws Exception {
        Path thermal = Files.createDirectories(dir.resolve("thermal"));
        Path z0 = Files.createDirectories(thermal.resolve("thermal_zone0"));
        Files.writeString(z0.resolve("type"), "acpitz\n");
        Files.writeString(z0.resolve("temp"), "30000\n");
        Path z1 = Files.createDirectories(thermal.resolve("thermal_zone1"));
        Files.writeString(z1.resolve("type"), "cpu-thermal\n");
        Files.writeString(z1.resolve("temp"), "52625\n");
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:        4027876 kB\nMemFree:          101234 kB\nMemAvailable:    1258288 kB\n");
        Path uptime = dir.resolve("uptime");
        Files.writeString(uptime, "86400.25 170000.00\n");
        ObjectNode f = new SystemFigures(dir, thermal, meminfo, uptime).read();
        assertThat(f.path("cpuTemperatureC").asDouble()).isEqualTo(52.6);
        assertThat(f.path("memAvailableBytes").asLong()).isEqualTo(1258288L * 1024);
        assertThat(f.path("memTotalBytes").asLong()).isEqualTo(4027876L * 1024);
        assertThat(f.path("hostUptimeMs").asLong()).isEqualTo(86_400_250L);
        assertThat(f.path("diskFreeBytes").asLong()).isPositive();
        assertThat(f.has("load1")).isTrue();

        ObjectNode none = new SystemFigures(dir, dir.resolve("no-thermal"), dir.resolve("no-meminfo"),
                dir.resolve("no-uptime")).read();
        assertThat(none.has("cpuTemperatureC")).isFalse();
        assertThat(none.has("memAvailableBytes")).isFalse();
        assertThat(none.path("uptimeMs").isIntegralNumber()).isTrue();
    }
}
