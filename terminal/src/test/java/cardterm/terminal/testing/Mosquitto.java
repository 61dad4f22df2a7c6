package cardterm.terminal.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real mosquitto broker for tests: {@code mosquitto -c <generated conf>} on a free loopback
 * port, in its own temporary directory, with optional TLS, password file, ACL file and
 * persistence. It can be stopped (SIGTERM, saves its persistence), started again on the same port,
 * or killed (SIGKILL). Fails, never skips, when mosquitto is not installed.
 *
 * <pre>{@code
 * try (Mosquitto broker = Mosquitto.builder().persistence(true).start()) {
 *     String uri = broker.uri();      // tcp://127.0.0.1:PORT
 *     broker.stop(); broker.start();  // same port, same config
 * }
 * }</pre>
 */
public final class Mosquitto implements AutoCloseable {
    private static final List<Path> WELL_KNOWN = List.of(Path.of("/usr/sbin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"), Path.of("/usr/local/bin/mosquitto"));

    private final Path binary;
    private final Path dir;
    private final Path conf;
    private final Path logFile;
    private final int port;
    private final boolean tls;
    private final String host;
    private final boolean temporaryDir;
    private Process process;

    private Mosquitto(Path binary, Path dir, boolean temporaryDir, int port, boolean tls, String host,
            String confText) throws IOException {
        this.binary = binary;
        this.dir = dir;
        this.temporaryDir = temporaryDir;
        this.port = port;
        this.tls = tls;
        this.host = host;
        this.conf = dir.resolve("mosquitto.conf");
        this.logFile = dir.resolve("mosquitto.out");
        Files.writeString(conf, confText);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A plain broker (anonymous, no TLS, no persistence), started. */
    public static Mosquitto startPlain() {
        return builder().start();
    }

    /** The mosquitto executable, or an AssertionError saying how to install it. */
    public static Path binary() {
        for (Path p : WELL_KNOWN) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                Path p = Path.of(d, "mosquitto");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new AssertionError("mosquitto is not installed (looked in PATH and " + WELL_KNOWN
                + "): install it with apt-get install -y mosquitto mosquitto-clients");
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:PORT}, or {@code ssl://HOST:PORT} with TLS ({@code localhost} by default). */
    public String uri() {
        return (tls ? "ssl://" + host : "tcp://127.0.0.1") + ":" + port;
    }

    /** The broker's own directory (config, persistence, output). */
    public Path dir() {
        return dir;
    }

    /** The generated configuration. */
    public String config() {
        try {
            return Files.readString(conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the broker printed so far (for failure messages). */
    public String output() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker (again) and waits until it accepts connections. */
    public synchronized Mosquitto start() {
        if (isRunning()) {
            return this;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-c", conf.toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + binary + ": " + e.getMessage(), e);
        }
        Process p = process;
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !p.isAlive() || accepts());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("mosquitto did not listen on port " + port + " within 10 s:\n" + output());
        }
        if (!p.isAlive()) {
            throw new AssertionError("mosquitto exited with " + p.exitValue() + ":\n" + output() + "\nconfig:\n"
                    + config());
        }
        return this;
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the broker with SIGTERM (it saves its persistence) and waits for it to exit. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        waitFor(process);
        process = null;
    }

    /** Kills the broker with SIGKILL (nothing saved, no goodbye to clients). */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(process);
        process = null;
    }

    private static void waitFor(Process p) {
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the broker and removes its directory if the fixture made it. */
    @Override
    public void close() {
        kill();
        if (temporaryDir) {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // left behind in /tmp
            }
        }
    }

    /** Configures a broker; {@link #start()} makes and starts it. */
    public static final class Builder {
        private Path caFile;
        private Path certFile;
        private Path keyFile;
        private boolean requireCertificate;
        private boolean identityAsUsername;
        private String host = "localhost";
        private Path passwordFile;
        private final List<String[]> users = new ArrayList<>();
        private Path aclFile;
        private String aclText;
        private boolean anonymous = true;
        private boolean persistence;
        private final List<String> extra = new ArrayList<>();
        private String rawConfig;
        private boolean rawTls;
        private Path dir;

        /** TLS on the listener with this CA, server certificate and key (PEM). */
        public Builder tls(Path ca, Path cert, Path key) {
            this.caFile = ca;
            this.certFile = cert;
            this.keyFile = key;
            return this;
        }

        /** The host name in {@link #uri()} for TLS (must be in the server certificate). */
        public Builder tlsHost(String name) {
            this.host = name;
            return this;
        }

        /** Clients must present a certificate signed by the CA; optionally its CN is their user name. */
        public Builder requireClientCertificate(boolean useIdentityAsUsername) {
            this.requireCertificate = true;
            this.identityAsUsername = useIdentityAsUsername;
            return this;
        }

        /** Adds a user to a password file made with {@code mosquitto_passwd}; turns anonymous access off. */
        public Builder user(String name, String password) {
            users.add(new String[] {name, password});
            anonymous = false;
            return this;
        }

        /** Uses an existing password file; turns anonymous access off. */
        public Builder passwordFile(Path file) {
            this.passwordFile = file;
            anonymous = false;
            return this;
        }

        public Builder allowAnonymous(boolean allow) {
            this.anonymous = allow;
            return this;
        }

        public Builder aclFile(Path file) {
            this.aclFile = file;
            return this;
        }

        /** An ACL given as text (written to a file in the broker's directory). */
        public Builder acl(String text) {
            this.aclText = text;
            return this;
        }

        /** Keeps retained messages and persistent sessions across {@link #stop()}/{@link #start()}. */
        public Builder persistence(boolean on) {
            this.persistence = on;
            return this;
        }

        /** One more line of mosquitto.conf. */
        public Builder config(String line) {
            extra.add(line);
            return this;
        }

        /**
         * Uses this configuration instead of generating one; {@code ${port}} and {@code ${dir}} are
         * replaced by the port and the broker's directory. The listener must be on 127.0.0.1.
         */
        public Builder rawConfig(String text, boolean tlsListener) {
            this.rawConfig = text;
            this.rawTls = tlsListener;
            return this;
        }

        /** The broker's directory (default: a new temporary one). */
        public Builder dir(Path directory) {
            this.dir = directory;
            return this;
        }

        public Mosquitto start() {
            Path bin = binary();
            AssertionError last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                Mosquitto m;
                try {
                    Path d = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("mosquitto-");
                    int port = freePort();
                    boolean tlsListener = rawConfig != null ? rawTls : caFile != null;
                    m = new Mosquitto(bin, d, dir == null, port, tlsListener, host, configText(d, port));
                } catch (IOException e) {
                    throw new AssertionError("cannot prepare mosquitto: " + e.getMessage(), e);
                }
                try {
                    return m.start();
                } catch (AssertionError e) {
                    m.kill();
                    last = e;
                    if (!m.output().contains("Address already in use")) {
                        throw e;
                    }
                }
            }
            throw last;
        }

        private String configText(Path d, int port) throws IOException {
            if (rawConfig != null) {
                return rawConfig.replace("${port}", Integer.toString(port)).replace("${dir}", d.toString());
            }
            StringBuilder c = new StringBuilder();
            c.append("# generated by the cardterm test fixture\n");
            c.append("user ").append(System.getProperty("user.name")).append('\n');
            c.append("per_listener_settings false\n");
            c.append("listener ").append(port).append(" 127.0.0.1\n");
            c.append("allow_anonymous ").append(anonymous).append('\n');
            c.append("max_queued_messages 1000000\n");
            c.append("max_inflight_messages 0\n");
            if (persistence) {
                c.append("persistence true\n");
                c.append("persistence_location ").append(d).append("/\n");
                c.append("autosave_interval 1\n");
            } else {
                c.append("persistence false\n");
            }
            if (caFile != null) {
                c.append("cafile ").append(caFile.toAbsolutePath()).append('\n');
                c.append("certfile ").append(certFile.toAbsolutePath()).append('\n');
                c.append("keyfile ").append(keyFile.toAbsolutePath()).append('\n');
                if (requireCertificate) {
                    c.append("require_certificate true\n");
                    c.append("use_identity_as_username ").append(identityAsUsername).append('\n');
                }
            }
            Path pw = passwordFile;
            if (!users.isEmpty()) {
                pw = d.resolve("passwd");
                Files.deleteIfExists(pw);
                for (String[] u : users) {
                    mosquittoPasswd(pw, u[0], u[1]);
                }
            }
            if (pw != null) {
                c.append("password_file ").append(pw.toAbsolutePath()).append('\n');
            }
            Path acl = aclFile;
            if (aclText != null) {
                acl = d.resolve("acl");
                Files.writeString(acl, aclText);
            }
            if (acl != null) {
                c.append("acl_file ").append(acl.toAbsolutePath()).append('\n');
            }
            for (String line : extra) {
                c.append(line).append('\n');
            }
            return c.toString();
        }

        private static void mosquittoPasswd(Path file, String user, String password) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("mosquitto_passwd", "-b"));
            if (!Files.exists(file)) {
                cmd.add("-c");
            }
            cmd.addAll(List.of(file.toString(), user, password));
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("mosquitto_passwd is not installed: apt-get install -y mosquitto", e);
            }
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new AssertionError("mosquitto_passwd failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** A port nobody listens on right now (loopback). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Mosquitto[" + uri() + ", " + (isRunning() ? "running" : "stopped") + ", " + Objects.toString(dir)
                + "]";
    }
}
