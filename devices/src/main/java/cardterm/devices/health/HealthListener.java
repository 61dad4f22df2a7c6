package cardterm.devices.health;

/** Told of every change of a device's health. Must not block. */
@FunctionalInterface
public interface HealthListener {
    void healthChanged(String deviceId, DeviceHealth health);
}
