package cardterm.devices.health;

import java.time.Instant;
import java.util.Objects;

/**
 * A device's health: state (derived from the reason), reason, a human message, and since when.
 * Expected trouble is a value of this type, never an exception.
 */
public record DeviceHealth(HealthReason reason, String message, Instant since) {

    public DeviceHealth {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
        message = message == null ? "" : message;
    }

    public static DeviceHealth of(HealthReason reason, String message, Instant since) {
        return new DeviceHealth(reason, message, since);
    }

    public static DeviceHealth online(Instant since) {
        return new DeviceHealth(HealthReason.OK, "", since);
    }

    public static DeviceHealth initializing(Instant since) {
        return new DeviceHealth(HealthReason.INITIALIZING, "starting", since);
    }

    public DeviceState state() {
        return reason.state();
    }

    /** Same state, reason and message (ignores {@code since}): no change worth reporting. */
    public boolean sameAs(DeviceHealth other) {
        return other != null && reason == other.reason && message.equals(other.message);
    }

    @Override
    public String toString() {
        return state() + "/" + reason + (message.isEmpty() ? "" : " (" + message + ")");
    }
}
