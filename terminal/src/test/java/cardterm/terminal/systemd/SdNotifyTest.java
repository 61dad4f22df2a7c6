package cardterm.terminal.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sd_notify through a real Unix datagram socket: socat binds one (as systemd does for
 * NOTIFY_SOCKET) and prints every datagram it receives.
 */
class SdNotifyTest {
    @TempDir
    Path dir;

    /** socat receiving datagrams on a Unix socket, collecting what arrives. */
    static final class Receiver implements AutoCloseable {
        final Process process;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final Thread reader;

        Receiver(String address) throws IOException {
            try {
                process = new ProcessBuilder("socat", "-u", address, "STDOUT").redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("socat is needed (apt-get install socat): " + e.getMessage(), e);
            }
            reader = Thread.ofPlatform().daemon().name("socat-reader").start(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] b = new byte[4096];
                    int n;
                    while ((n = in.read(b)) > 0) {
                        synchronized (got) {
                            got.write(b, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
        }

        String text() {
            synchronized (got) {
                return got.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    @Test
    void readyWatchdogAndStoppingArriveAsDatagramsOnAFileSocket() throws Exception {
        Path sock = dir.resolve("notify");
        try (Receiver r = new Receiver("UNIX-RECV:" + sock)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(sock));
            try (SdNotify n = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", sock.toString(), "WATCHDOG_USEC",
                    "20000000", "WATCHDOG_PID", "4242"), 4242)) {
                assertThat(n.enabled()).as(n.unavailableReason().orElse("")).isTrue();
                assertThat(n.watchdogInterval()).contains(Duration.ofSeconds(20));
                assertThat(n.ready("3 devices online")).isTrue();
                assertThat(n.watchdog()).isTrue();
                assertThat(n.stopping("bye")).isTrue();
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> r.text().equals("READY=1\nSTATUS=3 devices onlineWATCHDOG=1STOPPING=1\nSTATUS=bye"));
        }
    }

    @Test
    void abstractSocketNamesWithAnAtWork() throws Exception {
        String name = "cardterm-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (Receiver r = new Receiver("ABSTRACT-RECV:" + name)) {
            try (SdNotify n = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name), 1)) {
                await().atMost(Duration.ofSeconds(5)).until(n::watchdog);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> r.text().contains("WATCHDOG=1"));
        }
    }

    @Test
    void aMissingSocketIsAFailureNotAnException() {
        try (SdNotify n = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", dir.resolve("nobody").toString()), 1)) {
            assertThat(n.enabled()).isTrue();
            assertThat(n.watchdog()).isFalse();
        }
    }

    @Test
    void outsideSystemdNothingIsSent() {
        try (SdNotify n = SdNotify.fromEnvironment(Map.of(), 1)) {
            assertThat(n.enabled()).isFalse();
            assertThat(n.ready("x")).isFalse();
            assertThat(n.watchdogInterval()).isEmpty();
        }
    }

    @Test
    void aWatchdogMeantForAnotherProcessIsIgnored() {
        assertThat(SdNotify.watchdogPeriod(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 8)).isEmpty();
        assertThat(SdNotify.watchdogPeriod(Map.of("WATCHDOG_USEC", "30000000"), 8)).contains(Duration.ofSeconds(30));
        assertThat(SdNotify.watchdogPeriod(Map.of("WATCHDOG_USEC", "x"), 8)).isEmpty();
    }

    @Test
    void sockaddrOfFileAndAbstractNames() {
        byte[] f = UnixDatagramSender.sockaddr("/run/x");
        assertThat(f).hasSize(2 + 6 + 1);
        assertThat(f[2]).isEqualTo((byte) '/');
        assertThat(f[f.length - 1]).isZero();
        byte[] a = UnixDatagramSender.sockaddr("@abc");
        assertThat(a).hasSize(2 + 1 + 3);
        assertThat(a[2]).isZero();
        assertThat(a[3]).isEqualTo((byte) 'a');
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UnixDatagramSender.sockaddr("/" + "x".repeat(200)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWatchdogIsFedOnlyWhileEveryLoopIsAlive() throws Exception {
        Path sock = dir.resolve("wd");
        AtomicLong now = new AtomicLong(0);
        Liveness liveness = new Liveness(now::get);
        Liveness.Beat hub = liveness.register("hub-link", Duration.ofSeconds(30));
        liveness.register("scheduler", Duration.ofSeconds(60));
        try (Receiver r = new Receiver("UNIX-RECV:" + sock)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(sock));
            try (SdNotify n = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", sock.toString(), "WATCHDOG_USEC",
                    "600000000"), 1); SystemdWatchdog w = SystemdWatchdog.start(n, liveness)) {
                assertThat(w.active()).isTrue();
                assertThat(w.check()).isEmpty();
                await().atMost(Duration.ofSeconds(5)).until(() -> r.text().contains("WATCHDOG=1"));
                now.addAndGet(Duration.ofSeconds(40).toNanos()); // hub-link silent 40 s, scheduler 40 s
                List<Liveness.Hung> hung = w.check();
                assertThat(hung).extracting(Liveness.Hung::loop).containsExactly("hub-link");
                await().atMost(Duration.ofSeconds(5)).until(() -> r.text().contains("STATUS=hung: [hub-link silent"));
                String before = r.text();
                w.check();
                assertThat(r.text()).isEqualTo(before); // not fed, nothing said again
                hub.beat();
                assertThat(w.check()).isEmpty();
                await().atMost(Duration.ofSeconds(5)).until(() -> r.text().length() > before.length()
                        && r.text().substring(before.length()).startsWith("WATCHDOG=1"));
            }
        }
    }

    @Test
    void withoutAWatchdogPeriodNothingIsFed() {
        try (SdNotify n = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", dir.resolve("x").toString()), 1);
                SystemdWatchdog w = SystemdWatchdog.start(n, new Liveness())) {
            assertThat(w.active()).isFalse();
        }
    }
}
