package cardterm.devices.health;

/** A device that reports its health. */
public interface MonitoredDevice {
    /** Stable id, as used in config, health and events (e.g. {@code printer}, {@code reader.card}, {@code call-1}). */
    String deviceId();

    DeviceHealth health();

    void addHealthListener(HealthListener listener);
}
