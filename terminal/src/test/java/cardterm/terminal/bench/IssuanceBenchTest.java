package cardterm.terminal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IssuanceBenchTest {
    @Test
    void endsWithOneLineOfFiguresAndMeetsTheGoal() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new IssuanceBench());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("--jobs", "100", "--warmup", "5");
        assertThat(exit).as(out + "\n" + err).isZero();
        List<String> lines = out.toString().lines().toList();
        String last = lines.getLast();
        assertThat(last).matches("jobs=100 overhead_ms=\\d+\\.\\d\\d total_ms=\\d+\\.\\d\\d");
        double overhead = Double.parseDouble(last.replaceAll(".*overhead_ms=([0-9.]+).*", "$1"));
        double total = Double.parseDouble(last.replaceAll(".*total_ms=([0-9.]+).*", "$1"));
        assertThat(overhead).isPositive().isLessThanOrEqualTo(total);
        // speed is the bench's to judge (`cardterm bench issuance`, goal 50 ms), not a unit test's
    }

    @Test
    void refusesSillyCounts() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new IssuanceBench());
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("--jobs", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--jobs");
    }
}
