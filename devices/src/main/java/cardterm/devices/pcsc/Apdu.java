package cardterm.devices.pcsc;

import java.util.HexFormat;

/** Small helpers for command APDUs: building, hex, and a data-free description for traces. */
public final class Apdu {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Apdu() {
    }

    /** {@code CLA INS P1 P2}, then {@code Lc data} if data is given, then {@code Le} if {@code le >= 0}. */
    public static byte[] command(int cla, int ins, int p1, int p2, byte[] data, int le) {
        int n = 4 + (data == null || data.length == 0 ? 0 : 1 + data.length) + (le >= 0 ? 1 : 0);
        if (data != null && data.length > 255) {
            throw new IllegalArgumentException("extended length is not used by this profile");
        }
        byte[] c = new byte[n];
        c[0] = (byte) cla;
        c[1] = (byte) ins;
        c[2] = (byte) p1;
        c[3] = (byte) p2;
        int i = 4;
        if (data != null && data.length > 0) {
            c[i++] = (byte) data.length;
            System.arraycopy(data, 0, c, i, data.length);
            i += data.length;
        }
        if (le >= 0) {
            c[i] = (byte) le;
        }
        return c;
    }

    public static byte[] fromHex(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /**
     * The header and lengths of a command, never its data: {@code 00 A4 04 00 Lc=15} or
     * {@code 00 B2 07 04 Le=00}. What APDU traces show.
     */
    public static String describe(byte[] c) {
        if (c == null || c.length < 4) {
            return "malformed command (" + (c == null ? 0 : c.length) + " bytes)";
        }
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(HEX.toHexDigits(c[i]));
        }
        if (c.length == 5) {
            sb.append(" Le=").append(HEX.toHexDigits(c[4]));
        } else if (c.length > 5) {
            int lc = c[4] & 0xFF;
            sb.append(" Lc=").append(lc);
            if (c.length == 6 + lc) {
                sb.append(" Le=").append(HEX.toHexDigits(c[c.length - 1]));
            } else if (c.length != 5 + lc) {
                sb.append(" (length ").append(c.length).append(")");
            }
        }
        return sb.toString();
    }

    /** The status word at the end of a response. */
    public static int sw(byte[] response) {
        int n = response.length;
        if (n < 2) {
            throw new CardProtocolException("response without status word (" + n + " bytes)");
        }
        return ((response[n - 2] & 0xFF) << 8) | (response[n - 1] & 0xFF);
    }
}
