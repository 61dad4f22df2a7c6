package cardterm.terminal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.cli.CardtermMain;
import cardterm.terminal.testing.Mosquitto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code cardterm bench startup} makes the AOT cache by a training start, then starts {@code run}
 * in child JVMs without and with it (2 each here) on a real mosquitto, and ends with its line. The
 * cached starts insist on the cache (the JVM stops if it cannot map it), so a passing run shows the
 * cache worked; speed is not checked here. About 30 s: five JVMs start and stop.
 */
class StartupBenchTest {
    private static final Pattern LAST = Pattern.compile("cold_ms=(\\d+) cached_ms=(\\d+) ratio=(\\d+\\.\\d\\d)");

    @Test
    void startsWithoutAndWithTheCacheAndEndsWithTheFigures() {
        try (Mosquitto broker = Mosquitto.startPlain()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = CardtermMain.newCommandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int exit = cl.execute("bench", "startup", "--hub", broker.uri(), "--starts", "2");

            assertThat(exit).as(out + "\n" + err).isZero();
            List<String> lines = out.toString().lines().toList();
            Matcher m = LAST.matcher(lines.get(lines.size() - 1));
            assertThat(m.matches()).as(lines.get(lines.size() - 1)).isTrue();
            assertThat(Long.parseLong(m.group(1))).isPositive();
            assertThat(Long.parseLong(m.group(2))).isPositive();
            assertThat(out.toString()).containsPattern("(AOT|CDS) cache: \\d+\\.\\d MB, made by a training start")
                    .contains("start 2: cold ");
        }
    }

    @Test
    void noStartsIsBadInput() {
        StringWriter err = new StringWriter();
        CommandLine cl = CardtermMain.newCommandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));

        assertThat(cl.execute("bench", "startup", "--starts", "0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("cardterm bench startup: --starts must be at least 1");
    }
}
