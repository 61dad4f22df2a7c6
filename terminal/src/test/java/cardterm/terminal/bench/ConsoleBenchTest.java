package cardterm.terminal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.cli.CardtermMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code cardterm bench console} runs end to end (embedded broker, Debian's headless chromium, few
 * presses) and ends with its line; a missing browser is a clear refusal (exit 2).
 */
class ConsoleBenchTest {
    private static final Pattern LAST = Pattern.compile(
            "p50_ms=(\\d+\\.\\d\\d) p99_ms=(\\d+\\.\\d\\d) hub_p99_ms=(\\d+\\.\\d\\d) start_ms=(\\d+\\.\\d) rss_added_mb=(-?\\d+\\.\\d)");

    @Test
    void pressesShowInTheBrowserAndTheLastLineHasTheFigures() {
        if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            throw new AssertionError("bench console needs Debian's chromium: sudo apt-get install chromium (.ci/test installs it)");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CardtermMain.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("bench", "console", "--events", "20", "--warmup", "2");
        assertThat(exit).as(out + "\n" + err).isZero();
        List<String> lines = out.toString().lines().toList();
        String last = lines.get(lines.size() - 1);
        Matcher m = LAST.matcher(last);
        assertThat(m.matches()).as(last).isTrue();
        double p50 = Double.parseDouble(m.group(1));
        double p99 = Double.parseDouble(m.group(2));
        double hubP99 = Double.parseDouble(m.group(3));
        double start = Double.parseDouble(m.group(4));
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99); // speed is the bench's to judge
        assertThat(hubP99).isPositive();
        assertThat(start).isPositive();
        assertThat(out.toString()).contains("goal a change on screen p99 <= 250 ms: ", "goal console start <= 300 ms: ",
                "goal console adds <= 25 MB resident: ");
    }

    @Test
    void aMissingBrowserIsRefusedWithAHint() {
        StringWriter err = new StringWriter();
        CommandLine cl = CardtermMain.newCommandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("bench", "console", "--chromium", "/nonexistent/chromium");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("cardterm bench console: no browser at /nonexistent/chromium")
                .contains("apt-get install chromium");
    }
}
