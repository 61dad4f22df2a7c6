package cardterm.terminal.hub;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with full jitter: before retry {@code n} (0 = the first) wait a random time
 * between 0 and {@code min(max, initial * 2^n)}. Pure; the caller brings the random source.
 */
public record FullJitterBackoff(Duration initial, Duration max) {
    public FullJitterBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial back-off must be positive");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max back-off must be at least the initial one");
        }
    }

    /** The upper bound of the wait before retry {@code attempt} (0-based). */
    public Duration ceiling(int attempt) {
        long initialNanos = initial.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.max(0, Math.min(attempt, 62));
        long ceiling = initialNanos > (maxNanos >> shift) ? maxNanos : initialNanos << shift;
        return Duration.ofNanos(Math.min(ceiling, maxNanos));
    }

    /** A random wait in {@code [0, ceiling(attempt)]}. */
    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = ceiling(attempt).toNanos();
        return Duration.ofNanos(random.nextLong(ceiling + 1));
    }
}
