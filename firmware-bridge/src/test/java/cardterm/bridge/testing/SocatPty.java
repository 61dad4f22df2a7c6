package cardterm.bridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A linked pseudo-terminal pair made by a real {@code socat} process, for tests: {@link #hostPath()}
 * for the driver, {@link #devicePath()} for the simulator. {@link #kill()} is a cable pull (socat
 * dies, both paths vanish); {@link #restart()} plugs it back in on the same paths. Fails with a
 * clear message when socat is missing; never skips.
 *
 * <pre>{@code
 * try (SocatPty pty = SocatPty.start()) {
 *     SerialTransport host = SerialTransport.open(pty.hostPath());
 *     ...
 * }
 * }</pre>
 */
public final class SocatPty implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final Path host;
    private final Path device;
    private Process process;

    private SocatPty(Path dir) {
        this.dir = dir;
        this.host = dir.resolve("ttyHOST");
        this.device = dir.resolve("ttyDEV");
    }

    /** Starts socat with a pair of raw ptys linked under a fresh temporary directory. */
    public static SocatPty start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("cardterm-pty-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a temporary directory for the pty links", e);
        }
        SocatPty pty = new SocatPty(dir);
        pty.launch();
        return pty;
    }

    /** The host end (the driver opens it). */
    public Path hostPath() {
        return host;
    }

    /** The device end (the simulator opens it). */
    public Path devicePath() {
        return device;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Pulls the cable: kills socat and waits until it is gone and both links have vanished. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("socat did not die within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing socat", e);
        }
        process = null;
        deleteLinks();
    }

    /** Plugs the cable back in: a new socat on the same link paths (new ptys behind them). */
    public synchronized void restart() {
        kill();
        launch();
    }

    @Override
    public synchronized void close() {
        kill();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private synchronized void launch() {
        deleteLinks();
        ProcessBuilder pb = new ProcessBuilder("socat",
                "pty,raw,echo=0,link=" + host,
                "pty,raw,echo=0,link=" + device)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("socat.log").toFile());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot run socat (is it installed? apt-get install -y socat): " + e.getMessage(), e);
        }
        Process p = process;
        try {
            await("socat links " + host + " and " + device)
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("socat exited with " + p.exitValue() + ": " + log());
                        }
                        return Files.exists(host) && Files.exists(device);
                    });
        } catch (RuntimeException e) {
            p.destroyForcibly();
            process = null;
            throw e;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("socat.log")).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void deleteLinks() {
        try {
            Files.deleteIfExists(host);
            Files.deleteIfExists(device);
        } catch (IOException ignored) {
            // socat will complain clearly if it cannot make them
        }
    }

    @Override
    public String toString() {
        return "socat " + host + " <-> " + device;
    }
}
