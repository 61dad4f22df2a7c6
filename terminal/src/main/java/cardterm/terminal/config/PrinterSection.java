package cardterm.terminal.config;

import cardterm.devices.printer.PrinterSettings;
import cardterm.terminal.config.ConfigReader.Section;
import java.time.Duration;
import java.util.stream.Collectors;

/** {@code printer}: the card printer's link and timings, into {@link PrinterSettings}. */
final class PrinterSection {
    private PrinterSection() {}

    static PrinterSettings map(ConfigReader r, Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = r.mark();
        String portText = s.required("port");
        PrinterSettings.Port port = null;
        if (portText != null) {
            port = PrinterSettings.Port.parse(portText).orElse(null);
            if (port == null) {
                r.problem(s.path("port"), "'" + portText + "' is neither a device path (/dev/ttyUSB0) nor tcp://host:port");
            }
        }
        Integer baud = s.integer("baud", PrinterSettings.DEFAULT_BAUD, 1, Integer.MAX_VALUE);
        if (baud != null && !PrinterSettings.BAUD_RATES.contains(baud)) {
            r.problem(s.path("baud"), "must be one of " + PrinterSettings.BAUD_RATES.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ", got " + baud);
        }
        Duration poll = s.duration("pollInterval", PrinterSettings.DEFAULT_POLL_INTERVAL, Duration.ofMillis(100),
                Duration.ofMinutes(5));
        Section t = s.section("timeouts");
        Duration query = t.duration("query", PrinterSettings.Timeouts.DEFAULT.query(), Duration.ofMillis(100),
                Duration.ofMinutes(1));
        Duration mech = t.duration("mechanical", PrinterSettings.Timeouts.DEFAULT.mechanical(), Duration.ofSeconds(1),
                Duration.ofMinutes(10));
        if (!r.cleanSince(mark)) {
            return null;
        }
        try {
            return new PrinterSettings(port, baud, poll, new PrinterSettings.Timeouts(query, mech));
        } catch (IllegalArgumentException e) {
            r.problem(s.path, e.getMessage());
            return null;
        }
    }
}
