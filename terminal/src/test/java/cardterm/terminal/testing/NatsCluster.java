package cardterm.terminal.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A three-node NATS cluster on loopback, each node with JetStream and an MQTT listener, every
 * node started with the shipped {@code config/nats/hub-node.conf} and its own environment (name,
 * ports, store directory, routes). Nodes can be killed (SIGKILL) and started again on the same
 * ports and store. A node counts as up once it takes an MQTT connection (its {@code /healthz} may
 * still say a consumer replica is not current: docs/hub-at-scale.md). Fails, never skips, when nats-server is not installed.
 */
public final class NatsCluster implements AutoCloseable {
    private static final List<Path> WELL_KNOWN = List.of(Path.of("/usr/bin/nats-server"),
            Path.of("/usr/sbin/nats-server"), Path.of("/usr/local/bin/nats-server"));

    private final Path binary;
    private final Path conf;
    private final Path dir;
    private final int[] client = new int[3];
    private final int[] cluster = new int[3];
    private final int[] mqtt = new int[3];
    private final int[] http = new int[3];
    private final Process[] nodes = new Process[3];

    private NatsCluster(Path dir) {
        this.binary = binary();
        this.conf = shippedConfig();
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < 3; i++) {
            client[i] = Mosquitto.freePort();
            cluster[i] = Mosquitto.freePort();
            mqtt[i] = Mosquitto.freePort();
            http[i] = Mosquitto.freePort();
        }
    }

    /** Starts the three nodes in {@code dir} and waits until each takes MQTT connections. */
    public static NatsCluster start(Path dir) {
        NatsCluster c = new NatsCluster(dir);
        for (int i = 0; i < 3; i++) {
            c.launch(i);
        }
        for (int i = 0; i < 3; i++) {
            c.awaitMqtt(i);
        }
        return c;
    }

    public static Path binary() {
        for (Path p : WELL_KNOWN) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("nats-server is not installed (looked in " + WELL_KNOWN
                + "): install it with apt-get install -y nats-server");
    }

    /** config/nats/hub-node.conf of the repository, found from the module directory upwards. */
    public static Path shippedConfig() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("config/nats/hub-node.conf");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("config/nats/hub-node.conf not found above " + Path.of("").toAbsolutePath());
    }

    /** {@code tcp://127.0.0.1:PORT} of node {@code i}'s MQTT listener. */
    public String uri(int i) {
        return "tcp://127.0.0.1:" + mqtt[i];
    }

    /** The three MQTT URIs, starting with node {@code first}'s. */
    public List<String> urisFrom(int first) {
        return List.of(uri(first % 3), uri((first + 1) % 3), uri((first + 2) % 3));
    }

    public synchronized boolean isRunning(int i) {
        return nodes[i] != null && nodes[i].isAlive();
    }

    /** Starts node {@code i} (again, same ports and store) and waits until it takes MQTT connections. */
    public void start(int i) {
        synchronized (this) {
            if (isRunning(i)) {
                return;
            }
            launch(i);
        }
        awaitMqtt(i); // not holding the lock: Awaitility asks isRunning from its own thread
    }

    /** Kills node {@code i} (SIGKILL). */
    public synchronized void kill(int i) {
        Process p = nodes[i];
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        nodes[i] = null;
    }

    /** What node {@code i} printed. */
    public String output(int i) {
        try {
            Path log = dir.resolve("n" + i + ".log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void launch(int i) {
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-c", conf.toString());
        Map<String, String> env = pb.environment();
        env.put("NODE_NAME", "n" + i);
        env.put("CLIENT_LISTEN", "127.0.0.1:" + client[i]);
        env.put("CLUSTER_LISTEN", "127.0.0.1:" + cluster[i]);
        env.put("MQTT_LISTEN", "127.0.0.1:" + mqtt[i]);
        env.put("HTTP_LISTEN", "127.0.0.1:" + http[i]);
        env.put("STORE_DIR", dir.resolve("n" + i).toString());
        for (int r = 0; r < 3; r++) {
            env.put("ROUTE_" + (r + 1), "nats-route://127.0.0.1:" + cluster[r]);
        }
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("n" + i + ".log").toFile()));
        try {
            nodes[i] = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    private void awaitMqtt(int i) {
        try {
            // a node catching up with its cluster takes MQTT connections only once JetStream has a
            // leader for the MQTT streams: seconds, but minutes on a loaded machine
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !isRunning(i) || mqttAccepts(i));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("NATS node " + i + " took no MQTT connection within 180 s (healthz: " + health(i)
                    + "):\n" + output(i));
        }
        if (!isRunning(i)) {
            throw new AssertionError("NATS node " + i + " exited:\n" + output(i));
        }
    }

    /** The body of node {@code i}'s /healthz, for failure messages. */
    String health(int i) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + http[i] + "/healthz")).timeout(Duration.ofSeconds(5))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** GET /healthz of node {@code i} answers 200: it is current with the cluster, JetStream included. */
    public boolean healthy(int i) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + http[i] + "/healthz"))
                            .timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean mqttAccepts(int i) {
        try {
            MqttAsyncClient c = new MqttAsyncClient(uri(i), "probe-" + System.nanoTime(), new MemoryPersistence());
            try {
                MqttConnectOptions o = new MqttConnectOptions();
                o.setConnectionTimeout(10);
                c.connect(o).waitForCompletion(11_000);
                c.disconnect().waitForCompletion(2_000);
                return true;
            } finally {
                c.close(true);
            }
        } catch (MqttException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < 3; i++) {
            kill(i);
        }
    }
}
