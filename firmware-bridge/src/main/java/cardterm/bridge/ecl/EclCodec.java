package cardterm.bridge.ecl;

import java.nio.charset.StandardCharsets;

/**
 * The {@code ecl} wire format as pure code, no I/O: encoders for both directions and the two
 * decoders, {@link EclResponseDecoder} (host side) and {@link EclCommandDecoder} (device side).
 */
public final class EclCodec {
    public static final byte ESC = 0x1b;
    public static final byte CR = 0x0d;
    /** Longest line, without its CR; longer means garbage. */
    public static final int MAX_LINE = 256;
    /** Largest {@code Db} payload the protocol has: one y/m/c panel, 1016 x 648 bytes. */
    public static final int MAX_DOWNLOAD = 1016 * 648;

    private EclCodec() {
    }

    /** Host to device: ESC, name, {@code ;arg}s, CR (never LF). */
    public static byte[] encode(EclCommand command) {
        StringBuilder sb = new StringBuilder(32).append((char) ESC).append(command.name());
        for (String a : command.args()) {
            sb.append(';').append(a);
        }
        sb.append((char) CR);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Device to host: the answer line and its CR. Characters outside printable ASCII become
     * {@code ?}, and the line is cut at {@link #MAX_LINE}, so any value encodes to a valid line.
     */
    public static byte[] encode(EclResponse response) {
        String line = switch (response) {
            case EclResponse.Ok ok -> "OK";
            case EclResponse.Err err -> "ERR;" + err.wireCode() + ";" + err.text();
            case EclResponse.Data data -> data.line();
        };
        int n = Math.min(line.length(), MAX_LINE);
        byte[] out = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            out[i] = (byte) (c >= 0x20 && c <= 0x7e ? c : '?');
        }
        out[n] = CR;
        return out;
    }

    static boolean printable(byte b) {
        return b >= 0x20 && b <= 0x7e;
    }
}
