package cardterm.terminal.testing;

import cardterm.terminal.cli.CardtermMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Runs {@link CardtermMain#execute} with stdout and stderr captured. */
public record CliCapture(int exit, String out, String err) {

    public static CliCapture run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = CardtermMain.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new CliCapture(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Standard error, one entry per non-empty line. */
    public List<String> errLines() {
        return Arrays.stream(err.split("\\R")).filter(l -> !l.isEmpty()).toList();
    }
}
