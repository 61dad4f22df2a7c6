package cardterm.terminal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.cli.CardtermMain;
import cardterm.terminal.store.Database;
import cardterm.terminal.testing.CliCapture;
import cardterm.terminal.testing.Mosquitto;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate --scenario none} fed lines full of escape sequences and a 10 MB line on its
 * standard input, on a real mosquitto: every line is answered, nothing of them reaches the console
 * raw or whole, and what reaches the audit chain is escaped (the chain still verifies).
 */
class SimulateHostileConsoleTest {
    @TempDir
    Path work;

    @Test
    void escapeSequencesAndATenMegabyteLineAreAnsweredEscapedAndCut() throws Exception {
        int big = 10 * 1024 * 1024;
        byte[] bigLine = new byte[big + 1];
        Arrays.fill(bigLine, (byte) 'x');
        bigLine[big] = '\n';
        String before = String.join("\n",
                "\u001b[31mred\u0007 now",
                "press \u001b]0;owned\u0007",
                "ack C-\u001b[2J\u0000 S1001",
                "hold call-1 \u001b[6n",
                "\u202eevil") + "\n";
        String after = "status\nquit\n";
        InputStream console = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(before.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayInputStream(bigLine),
                new ByteArrayInputStream(after.getBytes(StandardCharsets.UTF_8)))));

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit;
        try (Mosquitto broker = Mosquitto.startPlain()) {
            PrintStream old = System.out;
            try {
                System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
                exit = CardtermMain.execute(console, "simulate", "--hub", broker.uri(), "--work-dir", work.toString(),
                        "--scenario", "none");
            } finally {
                System.setOut(old);
            }
        }
        String out = stdout.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(out).isZero();
        assertThat(out)
                .contains("  ? unknown command '\\u001b[31mred\\u0007' (type help for the list)")
                .contains("\\u001b]0;owned\\u0007")
                .contains("no call C-\\u001b[2J\\u0000")
                .contains("  ? hold ID SECONDS: '\\u001b[6n' is not a number of seconds")
                .contains("  ? unknown command '\\u202eevil'")
                .contains("  ? a line of 10485760 characters ignored (a command has at most 1024); it began 'xxxxxxxx")
                .contains("jobs queued: "); // status still ran after it: back in step
        assertNothingRaw("stdout", out);
        assertThat(out.length()).as("no copy of the 10 MB line").isLessThan(64 * 1024);

        // the console's staff action reached the audit chain escaped, and the chain verifies
        Path db;
        try (Stream<Path> s = Files.walk(work)) {
            db = s.filter(p -> p.getFileName().toString().equals(Database.FILE_NAME)).findFirst().orElseThrow();
        }
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT action, subject, detail FROM audit_log ORDER BY seq")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        assertThat(rows).anyMatch(r -> r.startsWith("assist.call.ack C-\\u001b[2J\\u0000 "));
        rows.forEach(r -> assertNothingRaw("audit_log", r));
        CliCapture verify = CliCapture.run("audit", "verify", "--data-dir", db.getParent().toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).startsWith("audit log intact");
    }

    private static void assertNothingRaw(String where, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a proper pair
                continue;
            }
            assertThat(c == '\u0000' || c == '\u0007' || c == '\u001b' || c == '\u202e' || Character.isSurrogate(c))
                    .as("%s holds U+%04X raw at %d: %s", where, (int) c, i,
                            text.substring(Math.max(0, i - 40), Math.min(text.length(), i + 40)))
                    .isFalse();
        }
    }
}
