package cardterm.terminal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.testing.Mosquitto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bench runs end to end (small figures) and ends with its one line of results. */
class OutboxBenchTest {
    @Test
    void endsWithOneLineOfFigures() {
        try (Mosquitto broker = Mosquitto.startPlain()) {
            StringWriter out = new StringWriter();
            CommandLine cl = new CommandLine(new OutboxBench());
            cl.setOut(new PrintWriter(out));
            int exit = cl.execute("--hub", broker.uri(), "--events", "3000", "--backlog", "30000", "--rounds", "1", "--warmup", "1",
                    "--window", "200");
            assertThat(exit).as(out.toString()).isZero();
            List<String> lines = out.toString().lines().toList();
            String last = lines.get(lines.size() - 1);
            assertThat(last).matches("enqueue_per_s=\\d+ drain_per_s=\\d+ raw_per_s=\\d+ drain_ratio=\\d+\\.\\d\\d "
                    + "heap_mb=\\d+\\.\\d");
            assertThat(lines.stream().filter(l -> l.startsWith("enqueue_per_s="))).hasSize(1);
            double heap = Double.parseDouble(last.substring(last.indexOf("heap_mb=") + 8));
            assertThat(heap).isLessThan(64);
        }
    }

    @Test
    void theHubIsRequired() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new OutboxBench());
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute()).isNotZero();
        assertThat(err.toString()).contains("--hub");
    }
}
