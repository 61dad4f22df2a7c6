package cardterm.terminal.systemd;

import cardterm.terminal.testing.SecretFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.testing.Mosquitto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cardterm run} in its own JVM, as systemd starts it (Type=notify, WatchdogSec): with
 * NOTIFY_SOCKET on a real Unix datagram socket (socat), it says READY=1 once assembled, sends
 * WATCHDOG=1 every half period, and STOPPING=1 on SIGTERM.
 */
class RunUnderSystemdTest {
    @TempDir
    Path dir;

    @Test
    void readyThenWatchdogThenStopping() throws Exception {
        SecretFiles.write(dir.resolve("command.key"), "0123456789abcdef0123456789abcdef0123\n");
        Path config = dir.resolve("terminal.yaml");
        try (Mosquitto broker = Mosquitto.startPlain()) {
            Files.writeString(config, """
                    terminal:
                      id: t-0042
                      site: wz-lucheng-01
                      dataDir: %s
                    hub:
                      uri: %s
                      commandKeyFile: command.key
                    reader:
                      card: /Virtual PCD 00 00/
                      sam: /Virtual PCD 00 01/
                    printer:
                      port: tcp://127.0.0.1:%d
                    gpio:
                      provider: mock
                    posts:
                      - name: hall
                        a: [S1001]
                        b: [S2001]
                    supervisors: [S9001]
                    """.formatted(dir.resolve("data"), broker.uri(), Mosquitto.freePort()));
            Files.createDirectories(dir.resolve("data"));
            Path sock = dir.resolve("notify");
            try (SdNotifyTest.Receiver systemd = new SdNotifyTest.Receiver("UNIX-RECV:" + sock)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(sock));
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true",
                        "-cp", System.getProperty("java.class.path"), "cardterm.terminal.cli.CardtermMain", "run",
                        "--config", config.toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("run.out").toFile());
                pb.environment().put("NOTIFY_SOCKET", sock.toString());
                pb.environment().put("WATCHDOG_USEC", "2000000");
                pb.environment().put("CARDTERM_LOG_LEVEL", "INFO");
                Process run = pb.start();
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> systemd.text().contains("READY=1")
                            || !run.isAlive());
                    assertThat(run.isAlive()).as(out()).isTrue();
                    assertThat(systemd.text()).contains("STATUS=terminal wz-lucheng-01/t-0042 running");
                    // fed every second (half of WATCHDOG_USEC) while the loops are alive
                    await().atMost(Duration.ofSeconds(10)).until(() -> count(systemd.text(), "WATCHDOG=1") >= 3);
                    assertThat(systemd.text()).doesNotContain("hung");
                    run.destroy(); // SIGTERM, as systemctl stop
                    assertThat(run.waitFor(30, TimeUnit.SECONDS)).as(out()).isTrue();
                    await().atMost(Duration.ofSeconds(5)).until(() -> systemd.text().contains("STOPPING=1"));
                } finally {
                    run.destroyForcibly();
                }
            }
        }
    }

    private String out() throws IOException {
        Path f = dir.resolve("run.out");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
