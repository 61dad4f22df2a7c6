package cardterm.terminal.aot;

import cardterm.devices.printer.sim.EclPrinterServer;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.terminal.sim.EmbeddedBroker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A throwaway world in which {@code cardterm run} can start in a child JVM and come online: a
 * broker (the embedded one on a free loopback port, or a given one), the ecl printer simulator on
 * a loopback TCP port, GPIO on mock pins, card readers that are not there (their health says so),
 * a generated config and command key, and a subscriber to the terminal's retained {@code state}.
 * Used to make the AOT cache ({@link AotCache}) and by {@code cardterm bench startup}.
 */
public final class StartupRig implements AutoCloseable {
    static final String SITE = "bench";
    static final String TERMINAL = "t-startup";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ONLINE_WAIT_S = 120;
    private static final long STOP_WAIT_S = 60;

    private final Path dir;
    private final Path config;
    private final String hub;
    private final EmbeddedBroker broker;
    private final EclPrinterServer printer;
    private final MqttAsyncClient subscriber;
    private final BlockingQueue<Long> online = new LinkedBlockingQueue<>();
    private int starts;

    /** One start of the service: milliseconds from the child JVM's launch to {@code state} online, and its log. */
    public record Start(double onlineMs, int exit, Path log) {}

    /** The service did not start, come online or stop; the message says why (and where its log is). */
    public static final class StartFailure extends Exception {
        StartFailure(String message) {
            super(message, null, false, false);
        }
    }

    private StartupRig(Path dir, String hubUri) throws IOException, MqttException {
        this.dir = dir;
        EmbeddedBroker b = null;
        EclPrinterServer p = null;
        MqttAsyncClient s = null;
        try {
            if (hubUri == null) {
                b = EmbeddedBroker.start("127.0.0.1", freePort());
                hubUri = b.uri();
            }
            p = new EclPrinterServer(new EclPrinterModel(EclPrinterModel.Settings.colour(),
                    EclPrinterModel.Timings.realistic()), 0.05);
            int printerPort = p.serveTcp(InetAddress.getLoopbackAddress(), 0).port();
            s = subscribe(hubUri);
            this.config = writeConfig(dir, hubUri, printerPort);
        } catch (IOException | MqttException | RuntimeException e) {
            closeAll(s, p, b);
            throw e;
        }
        this.hub = hubUri;
        this.broker = b;
        this.printer = p;
        this.subscriber = s;
    }

    /** Opens the rig in {@code dir} (config, data and logs go there) on {@code hubUri}, or on an embedded broker when null. */
    public static StartupRig open(Path dir, String hubUri) throws IOException, MqttException {
        Files.createDirectories(dir);
        return new StartupRig(dir, hubUri);
    }

    public String hub() {
        return hub;
    }

    /** The generated config: {@code run --config} it. */
    public Path config() {
        return config;
    }

    /**
     * Starts {@code command} (a JVM running {@code cardterm run --config} {@link #config()}), waits
     * for the retained {@code state} online, then stops it as systemd does (SIGTERM) and waits for
     * it to end (a JVM writing its AOT cache at exit takes a while).
     */
    public Start run(List<String> command, String label) throws StartFailure, IOException, InterruptedException {
        Path log = dir.resolve(String.format(Locale.ROOT, "%02d-%s.log", ++starts, label));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        online.clear();
        long t0 = System.nanoTime();
        Process child = pb.start();
        try {
            child.getOutputStream().close();
            Long at = awaitOnline(child);
            if (at == null) {
                throw new StartFailure(label + ": the service " + (child.isAlive() ? "did not come online within "
                        + ONLINE_WAIT_S + " s" : "ended (exit " + child.exitValue() + ") before it came online")
                        + "; its output: " + log + tail(log));
            }
            double ms = (at - t0) / 1e6;
            child.destroy();
            if (!child.waitFor(STOP_WAIT_S, TimeUnit.SECONDS)) {
                throw new StartFailure(label + ": the service did not stop within " + STOP_WAIT_S + " s of SIGTERM; its output: " + log);
            }
            return new Start(ms, child.exitValue(), log);
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Long awaitOnline(Process child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ONLINE_WAIT_S);
        while (System.nanoTime() < deadline) {
            Long at = online.poll(100, TimeUnit.MILLISECONDS);
            if (at != null) {
                return at;
            }
            if (!child.isAlive()) {
                return online.poll();
            }
        }
        return null;
    }

    /** The last lines of a child's output, for a failure message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.contains("[warning][aot] Skipping")).toList();
            return lines.isEmpty() ? " (empty)"
                    : "\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return " (unreadable: " + e.getMessage() + ")";
        }
    }

    private MqttAsyncClient subscribe(String uri) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, "cardterm-startup-"
                + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL, 36), new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                try {
                    JsonNode state = JSON.readTree(message.getPayload());
                    if (state.path("online").asBoolean(false) && !message.isRetained()) {
                        online.add(now);
                    }
                } catch (IOException e) {
                    // not JSON: not a state
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(10);
        c.connect(o).waitForCompletion(10_000);
        c.subscribe("cardterm/v1/" + SITE + "/" + TERMINAL + "/state", 1).waitForCompletion(10_000);
        return c;
    }

    private static Path writeConfig(Path dir, String hub, int printerPort) throws IOException {
        Path key = dir.resolve("command.key");
        Files.writeString(key, "startup-rig-command-key-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-0123456789\n");
        // a key file others may read is refused (config check): only the owner
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String yaml = String.join("\n",
                "# generated for starting cardterm run in a throwaway world (cardterm aot-cache, bench startup)",
                "terminal:",
                "  id: " + TERMINAL,
                "  site: " + SITE,
                "  dataDir: " + dir.resolve("data").toAbsolutePath(),
                "hub:",
                "  uri: " + hub,
                "  commandKeyFile: " + key.toAbsolutePath(),
                "reader:",
                "  card: /cardterm-startup-rig-no-such-card-reader/",
                "  sam: /cardterm-startup-rig-no-such-sam-reader/",
                "printer:",
                "  port: tcp://127.0.0.1:" + printerPort,
                "gpio:",
                "  provider: mock",
                "posts:",
                "  - name: hall",
                "    a: [S1001]",
                "    b: [S2001]",
                "supervisors: [S9001]",
                "buttons:",
                "  - id: call-1",
                "    pin: 17",
                "    location: wheelchair counter",
                "    post: hall",
                "    lamp: {pin: 27}",
                "    buzzer: {pin: 22}",
                "");
        return Files.writeString(dir.resolve("terminal.yaml"), yaml);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closeAll(subscriber, printer, broker);
    }

    private static void closeAll(MqttAsyncClient s, EclPrinterServer p, EmbeddedBroker b) {
        if (s != null) {
            try {
                if (s.isConnected()) {
                    s.disconnect().waitForCompletion(2000);
                }
                s.close();
            } catch (MqttException e) {
                // closing anyway
            }
        }
        if (p != null) {
            p.close();
        }
        if (b != null) {
            b.close();
        }
    }
}
