package cardterm.terminal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's bounded line reader, fed fragments and oversized lines, without a terminal. */
class ConsoleLinesTest {
    private static List<ConsoleLines.Line> lines(InputStream in) throws Exception {
        ConsoleLines r = new ConsoleLines(in);
        List<ConsoleLines.Line> out = new ArrayList<>();
        for (ConsoleLines.Line l; (l = r.next()) != null; ) {
            out.add(l);
        }
        return out;
    }

    private static InputStream fragments(String... parts) {
        List<InputStream> s = new ArrayList<>();
        for (String p : parts) {
            s.add(new ByteArrayInputStream(p.getBytes(StandardCharsets.UTF_8)));
        }
        return new SequenceInputStream(Collections.enumeration(s));
    }

    @Test
    void linesEndAtLfWithOrWithoutCrAndTheLastNeedsNone() throws Exception {
        assertThat(lines(fragments("pre", "ss call-1\r", "\nsta", "tus\n\nquit"))).containsExactly(
                new ConsoleLines.Line("press call-1", 12), new ConsoleLines.Line("status", 6),
                new ConsoleLines.Line("", 0), new ConsoleLines.Line("quit", 4));
        assertThat(lines(fragments())).isEmpty();
    }

    @Test
    void aTenMegabyteLineKeepsOnlyItsStartAndItsLength() throws Exception {
        int big = 10 * 1024 * 1024;
        byte[] line = new byte[big + 1];
        java.util.Arrays.fill(line, (byte) 'x');
        line[big] = '\n';
        List<ConsoleLines.Line> got = lines(new SequenceInputStream(new ByteArrayInputStream(line),
                new ByteArrayInputStream("status\n".getBytes(StandardCharsets.UTF_8))));
        assertThat(got).hasSize(2);
        assertThat(got.get(0).length()).isEqualTo(big);
        assertThat(got.get(0).text()).hasSize(ConsoleLines.MAX_CHARS);
        assertThat(got.get(0).cut()).isTrue();
        assertThat(got.get(1)).isEqualTo(new ConsoleLines.Line("status", 6)); // back in step after it
    }

    @Test
    void aLineOfExactlyTheLimitIsNotCut() throws Exception {
        String l = "y".repeat(ConsoleLines.MAX_CHARS);
        ConsoleLines.Line got = lines(fragments(l + "\r\n")).get(0);
        assertThat(got.cut()).isFalse();
        assertThat(got.text()).isEqualTo(l);
        assertThat(lines(fragments(l + "z\n")).get(0).cut()).isTrue();
    }
}
