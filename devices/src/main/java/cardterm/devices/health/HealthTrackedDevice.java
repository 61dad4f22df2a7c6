package cardterm.devices.health;

import java.time.Clock;

/**
 * A {@link MonitoredDevice} whose health a {@link HealthTracker} holds: the id, the current health
 * and the listeners live here once, so a driver only says what its health is
 * ({@code health.set(reason, message)}, {@code health.online()}). Starts INITIALIZING.
 */
public abstract class HealthTrackedDevice implements MonitoredDevice {
    /** This device's health: set by the driver; listeners hear of real changes only. */
    protected final HealthTracker health;

    protected HealthTrackedDevice(String deviceId, Clock clock) {
        this.health = new HealthTracker(deviceId, clock);
    }

    @Override
    public final String deviceId() {
        return health.deviceId();
    }

    @Override
    public final DeviceHealth health() {
        return health.current();
    }

    @Override
    public final void addHealthListener(HealthListener listener) {
        health.addListener(listener);
    }
}
