package cardterm.bridge.ecl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Device side (simulators): turns bytes from the host, in fragments of any size, into commands,
 * and takes the raw payload announced by {@code Db;<panel>;<side>;<bytes>} right after its CR.
 * Pure and bounded: one line buffer of {@link EclCodec#MAX_LINE} bytes and at most one payload of
 * {@code maxDownload} bytes. Bytes that do not start with ESC are discarded up to the next CR and
 * reported as one framing error, as are over-long and malformed lines. An empty line (a lone CR)
 * is ignored. Never throws on any input.
 */
public final class EclCommandDecoder {

    /** Receives decoded commands. Called on the feeding thread; must not block. */
    public interface Sink {
        /**
         * A command. For {@code Db} with a byte count in {@code 0..maxDownload}, {@code data} holds
         * exactly that many bytes; for any other command, or a {@code Db} whose count is missing or
         * out of range (no bytes consumed), it is {@code null}.
         */
        void command(EclCommand command, byte[] data);

        /** A junk line was discarded; the device answers {@code ERR;FRAMING;...}. */
        void framingError(String reason);
    }

    private enum Mode { LINE_START, LINE, DISCARD, DATA }

    private final int maxDownload;
    private final byte[] line = new byte[EclCodec.MAX_LINE];
    private int length;
    private Mode mode = Mode.LINE_START;
    private String discardReason;
    private EclCommand pending;
    private byte[] data;
    private int filled;

    public EclCommandDecoder() {
        this(EclCodec.MAX_DOWNLOAD);
    }

    public EclCommandDecoder(int maxDownload) {
        if (maxDownload < 0) {
            throw new IllegalArgumentException("maxDownload " + maxDownload);
        }
        this.maxDownload = maxDownload;
    }

    /** Feeds {@code len} bytes; complete commands go to {@code sink} in order. */
    public void feed(byte[] buf, int off, int len, Sink sink) {
        Objects.requireNonNull(sink, "sink");
        Objects.checkFromIndexSize(off, len, buf.length);
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (mode) {
                case DATA -> {
                    int n = Math.min(end - i, data.length - filled);
                    System.arraycopy(buf, i, data, filled, n);
                    filled += n;
                    i += n;
                    if (filled == data.length) {
                        finishData(sink);
                    }
                }
                case LINE_START -> {
                    byte b = buf[i++];
                    if (b == EclCodec.ESC) {
                        mode = Mode.LINE;
                        length = 0;
                    } else if (b != EclCodec.CR) {
                        discard("bytes before ESC");
                    }
                }
                case LINE -> {
                    byte b = buf[i++];
                    if (b == EclCodec.CR) {
                        mode = Mode.LINE_START;
                        endLine(sink);
                    } else if (length == line.length) {
                        discard("line longer than " + EclCodec.MAX_LINE + " bytes");
                    } else {
                        line[length++] = b;
                    }
                }
                case DISCARD -> {
                    byte b = buf[i++];
                    if (b == EclCodec.CR) {
                        mode = Mode.LINE_START;
                        String reason = discardReason;
                        discardReason = null;
                        sink.framingError(reason);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** True while the payload of a {@code Db} is still coming. */
    public boolean inData() {
        return mode == Mode.DATA;
    }

    /** Forgets everything held (a new connection). */
    public void reset() {
        mode = Mode.LINE_START;
        length = 0;
        discardReason = null;
        pending = null;
        data = null;
        filled = 0;
    }

    private void discard(String reason) {
        mode = Mode.DISCARD;
        discardReason = reason;
        length = 0;
    }

    private void endLine(EclCommandDecoder.Sink sink) {
        int n = length;
        length = 0;
        for (int k = 0; k < n; k++) {
            if (!EclCodec.printable(line[k])) {
                sink.framingError("byte outside printable ASCII in command");
                return;
            }
        }
        String text = new String(line, 0, n, StandardCharsets.US_ASCII);
        List<String> parts = split(text);
        EclCommand command;
        try {
            command = new EclCommand(parts.get(0), parts.subList(1, parts.size()));
        } catch (IllegalArgumentException e) {
            sink.framingError("malformed command");
            return;
        }
        if (command.isDownload()) {
            int count = downloadCount(command);
            if (count == 0) {
                sink.command(command, new byte[0]);
                return;
            }
            if (count > 0) {
                pending = command;
                data = new byte[count];
                filled = 0;
                mode = Mode.DATA;
                return;
            }
        }
        sink.command(command, null);
    }

    private void finishData(Sink sink) {
        EclCommand command = pending;
        byte[] payload = data;
        pending = null;
        data = null;
        filled = 0;
        mode = Mode.LINE_START;
        sink.command(command, payload);
    }

    /** The announced byte count, or -1 when missing or out of range. */
    private int downloadCount(EclCommand command) {
        if (command.args().size() != 3) {
            return -1;
        }
        String s = command.args().get(2);
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int count = Integer.parseInt(s);
        return count <= maxDownload ? count : -1;
    }

    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>(4);
        int start = 0;
        while (true) {
            int semi = text.indexOf(';', start);
            if (semi < 0) {
                parts.add(text.substring(start));
                return parts;
            }
            parts.add(text.substring(start, semi));
            start = semi + 1;
        }
    }
}
