package cardterm.devices.printer;

import java.time.Instant;
import java.util.Objects;

/**
 * A supply crossed a level: it became low, became empty, or was replenished (back to OK from low or
 * empty). The terminal publishes these as {@code device.supply} events.
 *
 * @param detail a short human text, e.g. {@code ribbon YMCKO, 18 prints left}; no personal data
 */
public record SupplyEvent(String deviceId, Supply supply, SupplyLevel level, SupplyLevel previous, String detail,
                          Instant at) {

    /** What happened, in the words of the hub contract. */
    public enum Kind { LOW, EMPTY, REPLENISHED }

    public SupplyEvent {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(supply, "supply");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
        if (level == SupplyLevel.UNKNOWN || level == previous) {
            throw new IllegalArgumentException("not a change: " + previous + " -> " + level);
        }
        if (level == SupplyLevel.OK && previous == SupplyLevel.UNKNOWN) {
            throw new IllegalArgumentException("first reading OK is not an event");
        }
    }

    public Kind kind() {
        return switch (level) {
            case LOW -> Kind.LOW;
            case EMPTY -> Kind.EMPTY;
            default -> Kind.REPLENISHED;
        };
    }
}
