package cardterm.devices.health;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Holds one device's current health and tells listeners of real changes only. Thread-safe; the
 * building block drivers use to implement {@link MonitoredDevice}.
 */
public final class HealthTracker {
    private final String deviceId;
    private final Clock clock;
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private volatile DeviceHealth current;

    public HealthTracker(String deviceId, Clock clock) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.current = DeviceHealth.initializing(clock.instant());
    }

    public String deviceId() {
        return deviceId;
    }

    public DeviceHealth current() {
        return current;
    }

    public void addListener(HealthListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Sets the health; listeners hear of it only if state, reason or message changed. */
    public void set(HealthReason reason, String message) {
        DeviceHealth next;
        synchronized (this) {
            DeviceHealth candidate = DeviceHealth.of(reason, message, clock.instant());
            if (candidate.sameAs(current)) {
                return;
            }
            current = candidate;
            next = candidate;
        }
        for (HealthListener l : listeners) {
            l.healthChanged(deviceId, next);
        }
    }

    public void online() {
        set(HealthReason.OK, "");
    }
}
