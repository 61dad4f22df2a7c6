package cardterm.terminal.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The lines of {@code simulate --scenario none}'s standard input, with bounded memory: a line
 * keeps at most {@link #MAX_CHARS} characters, the rest of a longer one is read and dropped (its
 * length still counted), so 10 MB without a newline cost no more than a short line. Lines end at
 * LF (a CR before it is dropped); the last line needs no LF. Bytes that are not UTF-8 read as
 * U+FFFD. Not thread-safe: one reader thread.
 */
public final class ConsoleLines {
    /** The longest line kept; no console command comes near it. */
    public static final int MAX_CHARS = 1024;

    /**
     * One line: its first {@link #MAX_CHARS} characters, and its whole length in characters.
     */
    public record Line(String text, long length) {
        /** Whether the line was longer than {@link #MAX_CHARS} (and {@code text} holds only its start). */
        public boolean cut() {
            return length > text.length();
        }
    }

    private final Reader in;
    private final char[] buf = new char[8192];
    private int pos;
    private int end;
    private boolean eof;

    public ConsoleLines(InputStream in) {
        this.in = new InputStreamReader(Objects.requireNonNull(in, "in"), StandardCharsets.UTF_8);
    }

    /** The next line, or null at the end of input. */
    public Line next() throws IOException {
        StringBuilder kept = new StringBuilder();
        long length = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    return any ? line(kept, length) : null;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            int room = MAX_CHARS + 1 - kept.length(); // one more, to see a trailing CR of a full line
            if (room > 0) {
                kept.append(buf, start, Math.min(n, room));
            }
            length += n;
            if (pos < end) { // at the LF
                pos++;
                return line(kept, length);
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    private static Line line(StringBuilder kept, long length) {
        if (length <= kept.length() && length > 0 && kept.charAt(kept.length() - 1) == '\r') {
            kept.setLength(kept.length() - 1);
            length--;
        }
        if (kept.length() > MAX_CHARS) {
            kept.setLength(MAX_CHARS);
        }
        return new Line(kept.toString(), length);
    }
}
