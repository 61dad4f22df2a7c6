package cardterm.terminal.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How often health is published again though nothing changed, and how often metrics are sent.
 */
public record HealthSettings(Duration interval, Duration metricsInterval) {
    public static final HealthSettings DEFAULT = new HealthSettings(Duration.ofSeconds(60), Duration.ofSeconds(60));

    public HealthSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(metricsInterval, "metricsInterval");
        if (!interval.isPositive() || !metricsInterval.isPositive()) {
            throw new IllegalArgumentException("health intervals must be positive: " + interval + ", "
                    + metricsInterval);
        }
    }
}
