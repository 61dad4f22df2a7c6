package cardterm.bridge.transport;

import java.nio.file.Path;
import java.time.Duration;

/** Makes an opener from the way users write a device address: a device path or {@code tcp://host:port}. */
public final class Transports {
    private Transports() {
    }

    /**
     * An opener for {@code spec}: {@code tcp://HOST:PORT} connects over TCP (3 s connect timeout),
     * anything else is a serial device path opened at {@code baud}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong with {@code spec}
     */
    public static TransportOpener opener(String spec, int baud) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no port given");
        }
        Duration stall = Duration.ofSeconds(10);
        if (spec.startsWith("tcp://")) {
            String rest = spec.substring("tcp://".length());
            int colon = rest.lastIndexOf(':');
            if (colon <= 0 || colon == rest.length() - 1) {
                throw new IllegalArgumentException("expected tcp://HOST:PORT, got " + spec);
            }
            String host = rest.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad TCP port in " + spec);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("TCP port out of range in " + spec);
            }
            return TcpTransport.opener(host, port, Duration.ofSeconds(3), stall);
        }
        if (spec.contains("://")) {
            throw new IllegalArgumentException("unknown scheme in " + spec + " (use a device path or tcp://HOST:PORT)");
        }
        return SerialTransport.opener(Path.of(spec), baud, stall);
    }
}
