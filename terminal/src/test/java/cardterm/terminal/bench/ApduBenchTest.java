package cardterm.terminal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.testing.Pcscd;
import cardterm.devices.testing.VpcdSlot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The APDU benchmark runs end to end on pcscd + vpcd and ends with its one line of figures. */
class ApduBenchTest {
    private static final Pattern FIGURES = Pattern.compile(
            "raw_us=(\\d+\\.\\d) layer_us=(\\d+\\.\\d) ratio=(\\d+\\.\\d{3}) personalize_ms=(\\d+\\.\\d)");

    @Test
    void comparesTheLayerWithRawSmartcardioAndTimesAPersonalization() {
        Pcscd.ensureRunning();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ApduBench());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--rounds", "300", "--blocks", "3");
        new VpcdSlot(VpcdSlot.CARD_PORT).awaitPresence(false);
        new VpcdSlot(VpcdSlot.SAM_PORT).awaitPresence(false);

        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        Matcher m = FIGURES.matcher(lines.get(lines.size() - 1));
        assertThat(m.matches()).as(lines.get(lines.size() - 1)).isTrue();
        assertThat(lines.stream().filter(l -> FIGURES.matcher(l).find())).hasSize(1);
        double raw = Double.parseDouble(m.group(1));
        double layer = Double.parseDouble(m.group(2));
        assertThat(raw).isPositive();
        assertThat(layer).isPositive(); // the ratio is the bench's to judge, not a unit test's
        assertThat(Double.parseDouble(m.group(4))).isPositive();
    }
}
