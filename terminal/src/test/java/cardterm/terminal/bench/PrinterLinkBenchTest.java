package cardterm.terminal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bench runs end to end (small) and ends with exactly one figures line. */
class PrinterLinkBenchTest {

    @Test
    void endsWithOneFiguresLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PrinterLinkBench());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--rounds", "2", "--rtt-iterations", "50", "--panels", "2", "--warmup", "10");
        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches(
                "raw_rtt_us=[0-9.]+ rtt_us=[0-9.]+ rtt_ratio=[0-9.]+ raw_mb_s=[0-9.]+ mb_s=[0-9.]+ throughput_ratio=[0-9.]+");
        assertThat(lines).filteredOn(l -> l.startsWith("raw_rtt_us=")).hasSize(1);
    }
}
