package cardterm.devices.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off a Pi, Pi4J's board detection logs ERROR lines; a GpioBoard keeps them out of the log. Each
 * case runs in a fresh JVM, since Pi4J detects the board once per JVM.
 */
class Pi4jQuietTest {
    @TempDir
    Path dir;

    private List<String> runFresh(String mode) throws IOException, InterruptedException {
        Path out = dir.resolve(mode + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                QuietBoardMain.class.getName(), mode)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(ended).as("child JVM ended; output:%n%s", String.join("\n", lines)).isTrue();
        assertThat(lines).as("child JVM finished").contains("done");
        return lines;
    }

    private static List<String> boardDetectionComplaints(List<String> lines) {
        return lines.stream()
                .filter(l -> l.contains("com.pi4j.boardinfo") && (l.contains("ERROR") || l.contains("WARN")))
                .toList();
    }

    @Test
    void bareContextOffAPiComplainsButTheBoardIsQuiet() throws Exception {
        assertThat(Pi4jQuiet.runningOnRaspberryPi())
                .as("this test is about running off a Pi (the CI and dev machines)").isFalse();
        List<String> raw = runFresh("raw");
        assertThat(boardDetectionComplaints(raw)).as("Pi4J alone complains off a Pi").isNotEmpty();

        List<String> board = runFresh("board");
        assertThat(board).anyMatch(l -> l.startsWith("board ONLINE"));
        assertThat(boardDetectionComplaints(board)).isEmpty();
        assertThat(board).noneMatch(l -> l.contains("ERROR"));
    }

    @Test
    void silencedLoggerGetsItsLevelBack() {
        ch.qos.logback.classic.Logger l =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("cardterm.test.quiet");
        l.setLevel(ch.qos.logback.classic.Level.INFO);
        Runnable restore = Pi4jQuiet.silence("cardterm.test.quiet");
        assertThat(l.getLevel()).isEqualTo(ch.qos.logback.classic.Level.OFF);
        restore.run();
        assertThat(l.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
    }
}
