package cardterm.terminal.config;

import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.config.TerminalConfig.Logging;
import java.util.Locale;

/** {@code logging}: the root log level. */
final class LoggingSection {
    private LoggingSection() {}

    static Logging map(ConfigReader r, Section s) {
        if (!s.usable) {
            return null;
        }
        String level = s.string("level");
        if (level == null) {
            return s.valid("level") ? Logging.DEFAULT : null;
        }
        String upper = level.toUpperCase(Locale.ROOT);
        if (!Logging.LEVELS.contains(upper)) {
            r.problem(s.path("level"), "must be one of " + String.join(", ", Logging.LEVELS) + ", got '" + level + "'");
            return null;
        }
        return new Logging(upper);
    }
}
