package cardterm.bridge.ecl;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Host side: turns bytes from the printer, in fragments of any size, into answer lines. Pure and
 * bounded: one line buffer of {@link EclCodec#MAX_LINE} bytes. A line that is too long, holds a
 * byte outside printable ASCII (LF, ESC, noise) or is empty is reported as garbage and dropped; in
 * discard mode everything up to the next CR goes, so the decoder resyncs on the next whole line.
 * Never throws on any input.
 */
public final class EclResponseDecoder {

    /** Receives decoded lines. Called on the feeding thread; must not block. */
    public interface Sink {
        void response(EclResponse response);

        /** A line was dropped; {@code reason} says why, {@code bytes} how many were dropped (with the CR). */
        void garbage(String reason, int bytes);
    }

    private final byte[] line = new byte[EclCodec.MAX_LINE];
    private int length;
    private boolean tooLong;
    private boolean unprintable;
    private int dropped;

    /** Feeds {@code len} bytes from {@code buf}; complete lines go to {@code sink} in order. */
    public void feed(byte[] buf, int off, int len, Sink sink) {
        Objects.requireNonNull(sink, "sink");
        Objects.checkFromIndexSize(off, len, buf.length);
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte b = buf[i];
            if (b == EclCodec.CR) {
                endLine(sink);
                continue;
            }
            if (tooLong) {
                dropped++;
                continue;
            }
            if (length == line.length) {
                tooLong = true;
                dropped = length + 1;
                length = 0;
                continue;
            }
            if (!EclCodec.printable(b)) {
                unprintable = true;
            }
            line[length++] = b;
        }
    }

    /** True when bytes of an unfinished line are held. */
    public boolean hasPartialLine() {
        return length > 0 || tooLong;
    }

    /** Forgets any unfinished line (after draining the link). */
    public void reset() {
        length = 0;
        tooLong = false;
        unprintable = false;
        dropped = 0;
    }

    private void endLine(Sink sink) {
        if (tooLong) {
            int n = dropped + 1;
            reset();
            sink.garbage("line longer than " + EclCodec.MAX_LINE + " bytes", n);
            return;
        }
        if (unprintable) {
            int n = length + 1;
            reset();
            sink.garbage("byte outside printable ASCII", n);
            return;
        }
        if (length == 0) {
            sink.garbage("empty line", 1);
            return;
        }
        String text = new String(line, 0, length, StandardCharsets.US_ASCII);
        reset();
        sink.response(EclResponse.parse(text));
    }
}
