package cardterm.terminal.config;

import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.health.HealthSettings;
import java.time.Duration;

/** {@code health}: how often health and metrics are published, into {@link HealthSettings}. */
final class HealthSection {
    private HealthSection() {}

    static HealthSettings map(ConfigReader r, Section s) {
        if (!s.usable) {
            return null;
        }
        Duration interval = s.duration("interval", HealthSettings.DEFAULT.interval(), Duration.ofSeconds(1),
                Duration.ofHours(1));
        Duration metrics = s.duration("metricsInterval", HealthSettings.DEFAULT.metricsInterval(),
                Duration.ofSeconds(1), Duration.ofHours(1));
        return interval == null || metrics == null ? null : new HealthSettings(interval, metrics);
    }
}
