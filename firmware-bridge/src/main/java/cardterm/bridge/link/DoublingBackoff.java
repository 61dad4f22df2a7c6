package cardterm.bridge.link;

import java.time.Duration;
import java.util.Objects;

/**
 * Deterministic capped exponential backoff between reconnect attempts: {@code initial}, doubling,
 * never more than {@code max}, with no jitter (one link reconnects to one local device, so there is
 * no crowd to spread out). Pure value; the attempt number is kept by the caller.
 */
public record DoublingBackoff(Duration initial, Duration max) {
    public DoublingBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
        }
    }

    /** 200 ms doubling up to 5 s. */
    public static DoublingBackoff standard() {
        return new DoublingBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    /** The wait before attempt {@code failures + 1}, after {@code failures} failed attempts (0 based). */
    public Duration delay(int failures) {
        if (failures <= 0) {
            return initial;
        }
        int shift = Math.min(failures, 30);
        long millis = initial.toMillis() << shift;
        if (millis <= 0 || millis > max.toMillis()) {
            return max;
        }
        return Duration.ofMillis(millis);
    }
}
