package cardterm.devices.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Test fixture for the real pcscd (with vsmartcard-vpcd): makes sure it runs, starting it if not,
 * and can stop and restart it. Never skips: if pcscd cannot be started, the calling test fails
 * with a clear message. Reusable by other modules' tests through the devices test-jar.
 *
 * <p>Readiness is read from {@code /proc/net/tcp} (vpcd listening on 35963 and 35964), never by
 * connecting to vpcd, which pcscd would take for a card.
 */
public final class Pcscd {
    public static final Path PID_FILE = Path.of("/run/pcscd/pcscd.pid");
    public static final Path SOCKET = Path.of("/run/pcscd/pcscd.comm");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private Pcscd() {
    }

    /** Starts pcscd unless it runs; returns once vpcd listens on both ports. */
    public static synchronized void ensureRunning() {
        if (isRunning() && vpcdListening()) {
            return;
        }
        if (!isRunning()) {
            start();
        }
        awaitReady();
    }

    /** Whether a pcscd process runs (by its pid file). */
    public static boolean isRunning() {
        return pid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Stops pcscd (SIGTERM to the pid in its pid file) and waits until it is gone. */
    public static synchronized void stop() {
        Optional<ProcessHandle> p = pid().flatMap(ProcessHandle::of);
        if (p.isEmpty() || !p.get().isAlive()) {
            return;
        }
        p.get().destroy();
        await("pcscd to stop").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> !p.get().isAlive());
        await("vpcd to stop listening").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !listening(VpcdSlot.CARD_PORT));
    }

    /** Starts pcscd in the foreground as a child of this JVM (it outlives it); waits until ready. */
    public static synchronized void start() {
        if (isRunning()) {
            awaitReady();
            return;
        }
        String exe = Files.isExecutable(Path.of("/usr/sbin/pcscd")) ? "/usr/sbin/pcscd" : "pcscd";
        try {
            Path log = Files.createTempFile("pcscd-", ".log");
            new ProcessBuilder(exe, "--foreground")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("cannot start pcscd (apt-get install -y pcscd vsmartcard-vpcd; must run as root "
                    + "or with access to /run/pcscd): " + e.getMessage(), e);
        }
        awaitReady();
    }

    /** Stops and starts pcscd. */
    public static synchronized void restart() {
        stop();
        start();
    }

    private static void awaitReady() {
        try {
            await("pcscd with vpcd to be ready").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> isRunning() && Files.exists(SOCKET) && vpcdListening());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("pcscd did not come up with vpcd listening on 127.0.0.1:"
                    + VpcdSlot.CARD_PORT + "/" + VpcdSlot.SAM_PORT + " within " + START_TIMEOUT
                    + " (is vsmartcard-vpcd installed? running=" + isRunning() + ")", e);
        }
    }

    private static boolean vpcdListening() {
        return listening(VpcdSlot.CARD_PORT) && listening(VpcdSlot.SAM_PORT);
    }

    /** Whether some socket listens on {@code port} (IPv4 or IPv6), from /proc/net/tcp. */
    static boolean listening(int port) {
        String hexPort = String.format(":%04X", port);
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(file))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                        return true;
                    }
                }
            } catch (IOException e) {
                // file absent: try the next
            }
        }
        return false;
    }

    private static Optional<Long> pid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(PID_FILE).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
