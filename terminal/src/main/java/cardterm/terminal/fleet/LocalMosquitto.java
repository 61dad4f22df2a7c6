package cardterm.terminal.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A mosquitto of the bench's own, on a free loopback port, in a directory of its own: anonymous,
 * persistent (a restart keeps retained messages and the subscriber's queued ones), no limit on
 * connections or queued messages, and its file limit raised to the hard limit before it starts.
 * Stopped with SIGTERM (it saves its persistence), started again on the same port.
 */
public final class LocalMosquitto implements AutoCloseable {
    private static final List<Path> WELL_KNOWN = List.of(Path.of("/usr/sbin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"), Path.of("/usr/local/bin/mosquitto"));

    private final Path binary;
    private final Path dir;
    private final Path conf;
    private final int port;
    private volatile Process process;

    private LocalMosquitto(Path binary, Path dir, int port) throws IOException {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "user " + System.getProperty("user.name"),
                "allow_anonymous true",
                "max_connections -1",
                "max_queued_messages 0",
                "max_inflight_messages 0",
                "persistence true",
                "persistence_location " + dir.toAbsolutePath() + "/",
                "autosave_interval 0",
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                ""));
    }

    /** The mosquitto executable, or an IllegalStateException saying how to install it. */
    public static Path binary() {
        for (Path p : WELL_KNOWN) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("mosquitto is not installed (looked in " + WELL_KNOWN
                + "): install it with apt-get install -y mosquitto");
    }

    /** Starts one in {@code dir} on a free port. */
    public static LocalMosquitto start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        LocalMosquitto m = new LocalMosquitto(binary(), dir, port);
        // a bench stopped with Ctrl-C leaves no broker behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = m.process;
            if (p != null) {
                p.destroy();
            }
        }, "mosquitto-stop"));
        m.start();
        return m;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the broker (again), with the open-file limit raised; returns once it takes connections. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        String cmd = "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec '" + binary + "' -c '" + conf + "'";
        process = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited at once: " + Files.readString(dir.resolve("mosquitto.out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("mosquitto did not listen on " + port + " within 20 s");
    }

    /** Stops it with SIGTERM (it saves its persistence) and waits for it to end. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
