package cardterm.terminal.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench monitor} run small: a mosquitto of its own, monitor in a child JVM, its one line of figures. */
class MonitorBenchTest {
    static final Pattern LINE = Pattern.compile(
            "terminals=500 view_ms=\\d+ intake_ms=\\d+ raw_ms=\\d+ heap_used_mb=\\d+\\.\\d");

    @Test
    void aSmallFleetsViewIsTimedAgainstRawPaho() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new MonitorBench());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("--terminals", "500", "--sites", "10", "--rounds", "1");
        assertThat(exit).as(out + "\n" + err).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches(LINE);
        assertThat(out.toString()).contains("goal: the full view within 5000 ms");
    }

    @Test
    void badInputIsRefused() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new MonitorBench());
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("--terminals", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--terminals");
    }
}
