package cardterm.terminal.sim;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.Properties;

/**
 * The MQTT broker that {@code simulate} embeds (Moquette, MQTT 3.1.1), so that a demo needs no
 * broker installed. Loopback only, anonymous, in memory, no telemetry. Never used by {@code run}.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Server server;
    private final String host;
    private final int port;
    private boolean running;

    private EmbeddedBroker(String host, int port) {
        // Netty (inside Moquette) works without sun.misc.Unsafe, which newer JDKs warn about.
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
        this.server = new Server();
        this.host = host;
        this.port = port;
    }

    /** Starts a broker on {@code host:port}; throws {@link BrokerStartException} if the port is taken. */
    public static EmbeddedBroker start(String host, int port) {
        EmbeddedBroker b = new EmbeddedBroker(host, port);
        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true"); // mosquitto_sub connects without a client id
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("netty.epoll", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(8 * 1024 * 1024));
        try {
            b.server.startServer(new MemoryConfig(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof BindException) {
                throw new BrokerStartException(host, port, "port " + port + " is in use (use --broker-port)");
            }
            throw new BrokerStartException(host, port, String.valueOf(root.getMessage()));
        }
        b.running = true;
        return b;
    }

    public String uri() {
        return "tcp://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (running) {
            running = false;
            server.stopServer();
        }
    }

    /** The broker could not start; carries where it tried. */
    public static final class BrokerStartException extends RuntimeException {
        private final String host;
        private final int port;

        public BrokerStartException(String host, int port, String message) {
            super("embedded broker on " + host + ":" + port + ": " + message);
            this.host = host;
            this.port = port;
        }

        public String host() {
            return host;
        }

        public int port() {
            return port;
        }
    }
}
