package cardterm.terminal.config;

import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.config.TerminalConfig.Console;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code console}: where the counter console listens. Any address but the loopback one needs TLS
 * ({@code tls.certFile} and {@code tls.keyFile}); the two come together.
 */
final class ConsoleSection {
    private static final Pattern IP = Pattern.compile("[0-9.]{7,15}|\\[?[0-9A-Fa-f:]{2,39}\\]?");

    private ConsoleSection() {
    }

    /** The section, or null when something in it is wrong (reported). */
    static Console map(ConfigReader r, Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = r.mark();
        String bind = s.string("bind");
        boolean loopback = true;
        if (bind == null) {
            bind = Console.DEFAULT_BIND;
        } else if (!IP.matcher(bind).matches()) {
            r.problem(s.path("bind"), "must be an IP address (127.0.0.1 for the counter's own screen), not '" + bind + "'");
        } else {
            try {
                loopback = InetAddress.getByName(bind).isLoopbackAddress();
            } catch (UnknownHostException e) {
                r.problem(s.path("bind"), "not an IP address: '" + bind + "'");
            }
        }
        Integer port = s.integer("port", Console.DEFAULT_PORT, 0, 65535);
        Duration idle = s.duration("idleTimeout", Console.DEFAULT_IDLE, Duration.ofMinutes(1), Duration.ofHours(12));
        Section tls = s.section("tls");
        Path cert = tls.usable ? tls.path("certFile", false, null) : null;
        Path key = tls.usable ? tls.path("keyFile", false, null) : null;
        if (cert != null) {
            r.file(tls.path("certFile"), cert);
        }
        if (key != null) {
            r.file(tls.path("keyFile"), key);
        }
        if ((cert == null) != (key == null) && tls.usable) {
            r.problem(s.path("tls"), "certFile and keyFile come together");
        }
        if (!loopback && (cert == null || key == null)) {
            r.problem(s.path("bind"), "listening on " + bind + " (not the loopback address) needs TLS: set "
                    + "console.tls.certFile and console.tls.keyFile, or bind 127.0.0.1");
        }
        return r.cleanSince(mark) ? new Console(bind, port, idle, cert, key) : null;
    }
}
