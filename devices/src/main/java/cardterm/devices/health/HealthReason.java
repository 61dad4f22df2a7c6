package cardterm.devices.health;

/**
 * Why a device is in its state. Each reason belongs to exactly one {@link DeviceState}, so an
 * invalid (state, reason) pair cannot be made.
 */
public enum HealthReason {
    OK(DeviceState.ONLINE),

    SUPPLY_LOW(DeviceState.DEGRADED),
    SUPPLY_EMPTY(DeviceState.DEGRADED),
    MAINTENANCE_DUE(DeviceState.DEGRADED),
    COVER_OPEN(DeviceState.DEGRADED),
    JAM(DeviceState.DEGRADED),
    DEVICE_ERROR(DeviceState.DEGRADED),
    STUCK(DeviceState.DEGRADED),
    /**
     * The link's session keeps being taken over: another client uses the same id (a second
     * terminal with this terminal's id).
     */
    SESSION_TAKEN_OVER(DeviceState.DEGRADED),
    /** A record that must not change was changed or cut short (the audit log's hash chain broke). */
    INTEGRITY_BROKEN(DeviceState.DEGRADED),

    COMMUNICATION_ERROR(DeviceState.OFFLINE),
    /** The link (bridge) the device sits behind is down. */
    LINK_DOWN(DeviceState.OFFLINE),
    /** The device is not there (reader unplugged, SAM missing, port absent). */
    GONE(DeviceState.OFFLINE),
    /** The system service the device needs (pcscd) is down. */
    SERVICE_DOWN(DeviceState.OFFLINE),
    CONFIGURATION_ERROR(DeviceState.OFFLINE),

    INITIALIZING(DeviceState.UNKNOWN);

    private final DeviceState state;

    HealthReason(DeviceState state) {
        this.state = state;
    }

    public DeviceState state() {
        return state;
    }
}
