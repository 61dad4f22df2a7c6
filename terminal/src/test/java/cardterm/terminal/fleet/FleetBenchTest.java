package cardterm.terminal.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A small fleet (100 real simulated terminals in this JVM) on a mosquitto of the bench's own: all
 * online, the broker restarted (all back within 60 s), a short outage with activity going on,
 * every backlog drained in order, not one event lost; the bench ends with its one line.
 */
class FleetBenchTest {
    static final Pattern LINE = Pattern.compile("terminals=(\\d+) online_after_restart_s=(\\d+\\.\\d) "
            + "peak_connects_per_s=(\\d+) lost=(\\d+) drain_s=(\\d+\\.\\d) drain_ratio=(\\d+\\.\\d\\d) "
            + "mb_per_terminal=(\\d+\\.\\d\\d)");

    @Test
    void aSmallFleetSurvivesARestartAndAnOutageLosingNothing() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new FleetBench());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("--terminals", "100", "--outage", "4", "--activity", "20", "--sites", "5",
                "--drain-events", "2000", "--drain-rounds", "1");
        assertThat(exit).as(out + "\n" + err).isZero();
        List<String> lines = out.toString().lines().toList();
        String last = lines.get(lines.size() - 1);
        Matcher m = LINE.matcher(last);
        assertThat(m.matches()).as(last).isTrue();
        assertThat(m.group(1)).isEqualTo("100");
        assertThat(Double.parseDouble(m.group(2))).as("all back online after the restart").isLessThan(60);
        assertThat(Long.parseLong(m.group(3))).isBetween(1L, 100L);
        assertThat(m.group(4)).as("events lost").isEqualTo("0");
        assertThat(out.toString()).contains("all drained").contains(" 0 lost, 0 out of order");
    }

    @Test
    void badInputIsRefused() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new FleetBench());
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("--terminals", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--terminals");
    }
}
