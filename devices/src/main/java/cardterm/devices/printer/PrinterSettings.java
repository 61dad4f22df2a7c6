package cardterm.devices.printer;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the card printer is and how it is driven: its link ({@link Port}), the serial baud rate,
 * how often it is polled for status, and how long a query or a mechanical move may take.
 * Immutable; refuses a port or baud it cannot use.
 */
public record PrinterSettings(Port port, int baud, Duration pollInterval, Timeouts timeouts) {
    public static final int DEFAULT_BAUD = 115_200;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    /** Baud rates a serial printer link accepts. */
    public static final List<Integer> BAUD_RATES =
            List.of(9_600, 19_200, 38_400, 57_600, 115_200, 230_400, 460_800, 921_600);

    public PrinterSettings {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(timeouts, "timeouts");
        if (!BAUD_RATES.contains(baud)) {
            throw new IllegalArgumentException("baud must be one of " + BAUD_RATES + ", got " + baud);
        }
        if (!pollInterval.isPositive()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
    }

    /** The defaults for a printer on {@code port}. */
    public static PrinterSettings of(Port port) {
        return new PrinterSettings(port, DEFAULT_BAUD, DEFAULT_POLL_INTERVAL, Timeouts.DEFAULT);
    }

    /** Where the printer is: a serial device path or a TCP endpoint. */
    public sealed interface Port {
        /** Parses {@code /dev/ttyUSB0} or {@code tcp://host:port}; empty when it is neither. */
        static Optional<Port> parse(String text) {
            if (text.startsWith("tcp://")) {
                try {
                    URI u = new URI(text);
                    boolean bare = u.getHost() != null && u.getPort() > 0 && u.getUserInfo() == null
                            && (u.getRawPath() == null || u.getRawPath().isEmpty())
                            && u.getRawQuery() == null && u.getRawFragment() == null;
                    return bare ? Optional.of(new TcpEndpoint(u.getHost(), u.getPort())) : Optional.empty();
                } catch (URISyntaxException e) {
                    return Optional.empty();
                }
            }
            if (text.startsWith("/") && text.length() > 1 && text.chars().noneMatch(Character::isWhitespace)) {
                return Optional.of(new SerialDevice(text));
            }
            return Optional.empty();
        }
    }

    /** A serial device by path, such as {@code /dev/ttyUSB0} (jSerialComm opens it by this path). */
    public record SerialDevice(String path) implements Port {
        public SerialDevice {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path;
        }
    }

    /** A printer reached over TCP. */
    public record TcpEndpoint(String host, int port) implements Port {
        public TcpEndpoint {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port " + port);
            }
        }

        @Override
        public String toString() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** For status queries, and for mechanical moves (feed, print, eject). */
    public record Timeouts(Duration query, Duration mechanical) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(120));

        public Timeouts {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(mechanical, "mechanical");
        }
    }
}
