package cardterm.terminal.health;

import cardterm.terminal.event.HubTime;
import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.DeviceState;
import cardterm.devices.health.MonitoredDevice;
import cardterm.terminal.event.EventSink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the terminal's health: each device's (state, reason, message, since), the overall
 * status, and sections contributed by other parts (supplies, outbox, broker link, system figures).
 * On every device change it stores a {@code device.status} event and publishes the retained
 * {@code health}; it publishes again at least every interval.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final Clock clock;
    private final EventSink events;
    private final Consumer<ObjectNode> publisher;
    private final ScheduledExecutorService scheduler;
    private final Map<String, DeviceHealth> devices = new LinkedHashMap<>();
    private final Map<String, Supplier<? extends JsonNode>> sections = new LinkedHashMap<>();
    private ScheduledFuture<?> periodic;

    /**
     * @param publisher sends the health document (the hub link's retained publish); must not block
     */
    public HealthMonitor(Clock clock, EventSink events, Consumer<ObjectNode> publisher, ScheduledExecutorService scheduler) {
        this.clock = Objects.requireNonNull(clock);
        this.events = Objects.requireNonNull(events);
        this.publisher = Objects.requireNonNull(publisher);
        this.scheduler = Objects.requireNonNull(scheduler);
    }

    /** Watches a device: its changes become {@code device.status} events and a health publish. */
    public void watch(MonitoredDevice device) {
        synchronized (this) {
            devices.put(device.deviceId(), device.health());
        }
        device.addHealthListener((id, h) -> {
            try {
                scheduler.execute(() -> deviceChanged(id, h));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("health of {} changed while stopping: {}", id, h);
            }
        });
    }

    /** Adds a named section computed at each publish (e.g. {@code outbox}, {@code broker}). */
    public synchronized void section(String name, Supplier<? extends JsonNode> supplier) {
        sections.put(name, supplier);
    }

    public void start(Duration interval) {
        periodic = scheduler.scheduleAtFixedRate(this::publishNow, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void deviceChanged(String id, DeviceHealth h) {
        DeviceHealth before;
        synchronized (this) {
            before = devices.put(id, h);
        }
        if (h.sameAs(before)) {
            return;
        }
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("device", id);
        d.put("status", h.state().name());
        d.put("detail", h.reason().name());
        d.put("message", h.message());
        try {
            events.publish("device.status", d);
        } catch (RuntimeException e) {
            log.warn("could not store device.status for {}: {}", id, e.toString());
        }
        publishNow();
    }

    /** Builds and publishes the health document now. */
    public void publishNow() {
        try {
            publisher.accept(snapshot());
        } catch (RuntimeException e) {
            log.warn("health publish failed: {}", e.toString());
        }
    }

    /** The health document as it stands. */
    public synchronized ObjectNode snapshot() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("ts", HubTime.format(clock.instant(), clock));
        o.put("status", overall().name());
        ObjectNode devs = o.putObject("devices");
        devices.forEach((id, h) -> {
            ObjectNode d = devs.putObject(id);
            d.put("state", h.state().name());
            d.put("reason", h.reason().name());
            d.put("message", h.message());
            d.put("since", HubTime.format(h.since(), clock));
        });
        sections.forEach((name, s) -> {
            try {
                JsonNode v = s.get();
                if (v != null) {
                    o.set(name, v);
                }
            } catch (RuntimeException e) {
                o.putObject(name).put("error", e.toString());
            }
        });
        return o;
    }

    /** ONLINE when every device is; OFFLINE when any is; DEGRADED otherwise. */
    public synchronized DeviceState overall() {
        boolean allOnline = true;
        for (DeviceHealth h : devices.values()) {
            if (h.state() == DeviceState.OFFLINE) {
                return DeviceState.OFFLINE;
            }
            allOnline &= h.state() == DeviceState.ONLINE;
        }
        return allOnline ? DeviceState.ONLINE : DeviceState.DEGRADED;
    }

    public synchronized Map<String, DeviceHealth> devices() {
        return Map.copyOf(devices);
    }

    @Override
    public void close() {
        if (periodic != null) {
            periodic.cancel(false);
        }
    }
}
