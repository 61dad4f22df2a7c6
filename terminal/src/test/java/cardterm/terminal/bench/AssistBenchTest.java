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

/** {@code cardterm bench assist} runs end to end on a real mosquitto (few presses) and ends with its line. */
class AssistBenchTest {
    private static final Pattern LAST =
            Pattern.compile("p50_ms=(\\d+\\.\\d\\d) p99_ms=(\\d+\\.\\d\\d) debounce_ms=(\\d+) raw_p99_ms=(\\d+\\.\\d\\d)");

    @Test
    void pressesBecomeRaisedEventsAtASubscriberAndTheLastLineHasTheFigures() {
        try (Mosquitto broker = Mosquitto.startPlain()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = CardtermMain.newCommandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int exit = cl.execute("bench", "assist", "--hub", broker.uri(), "--presses", "60", "--warmup", "5");
            assertThat(exit).as(out + "\n" + err).isZero();
            List<String> lines = out.toString().lines().toList();
            Matcher m = LAST.matcher(lines.get(lines.size() - 1));
            assertThat(m.matches()).as(lines.get(lines.size() - 1)).isTrue();
            double p50 = Double.parseDouble(m.group(1));
            double p99 = Double.parseDouble(m.group(2));
            int debounce = Integer.parseInt(m.group(3));
            assertThat(debounce).isEqualTo(30);
            assertThat(p50).isPositive().isLessThanOrEqualTo(p99); // speed is the bench's to judge
            assertThat(out.toString()).contains("goal p99 <= debounce + 5 ms = 35 ms");
        }
    }

    @Test
    void anUnreachableBrokerIsAClearFailure() {
        StringWriter err = new StringWriter();
        CommandLine cl = CardtermMain.newCommandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("bench", "assist", "--hub", "tcp://127.0.0.1:" + Mosquitto.freePort(), "--presses", "1");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("cardterm bench assist: broker tcp://127.0.0.1:");
    }
}
