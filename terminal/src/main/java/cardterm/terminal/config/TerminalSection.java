package cardterm.terminal.config;

import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.config.TerminalConfig.Terminal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

/** {@code terminal}: id, site, data directory, time zone. */
final class TerminalSection {
    private TerminalSection() {}

    /** The section, or null when something in it is wrong (reported). */
    static Terminal map(ConfigReader r, Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = r.mark();
        String id = s.required("id");
        r.matches(s.path("id"), id, TerminalConfig.NAME);
        String site = s.required("site");
        r.matches(s.path("site"), site, TerminalConfig.NAME);
        Path dataDir = s.path("dataDir", false, Terminal.DEFAULT_DATA_DIR);
        ZoneId zone = Terminal.DEFAULT_TIME_ZONE;
        String z = s.string("timeZone");
        if (z != null) {
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException e) {
                r.problem(s.path("timeZone"), "unknown time zone '" + z + "' (e.g. Asia/Shanghai)");
            }
        }
        return r.cleanSince(mark) ? new Terminal(id, site, dataDir, zone) : null;
    }
}
