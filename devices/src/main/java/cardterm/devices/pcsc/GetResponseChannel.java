package cardterm.devices.pcsc;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * Handles, in one place and for T=0 and T=1 alike, the two status words ISO 7816-4 says the
 * terminal must act on: {@code 61xx} (more data: send {@code 00 C0 00 00 xx} GET RESPONSE and
 * append) and {@code 6Cxx} (wrong Le: send the same command again with Le = xx). Bounded: at most
 * {@link #MAX_ROUNDS} exchanges per command, then {@link CardProtocolException}.
 */
public final class GetResponseChannel implements ApduChannel {
    /** Hard cap of exchanges for one command, GET RESPONSE and repeats included. */
    public static final int MAX_ROUNDS = 32;

    private final ApduChannel inner;

    public GetResponseChannel(ApduChannel inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    @Override
    public byte[] transceive(byte[] command) {
        byte[] cmd = command;
        ByteArrayOutputStream collected = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            byte[] r = inner.transceive(cmd);
            int n = r.length;
            if (n < 2) {
                throw new CardProtocolException("response without status word to " + Apdu.describe(cmd));
            }
            int sw1 = r[n - 2] & 0xFF;
            int sw2 = r[n - 1] & 0xFF;
            if (sw1 == 0x61) {
                if (collected == null) {
                    collected = new ByteArrayOutputStream(256);
                }
                collected.write(r, 0, n - 2);
                cmd = new byte[] {0x00, (byte) 0xC0, 0x00, 0x00, (byte) sw2};
                continue;
            }
            if (sw1 == 0x6C && n == 2) {
                cmd = withLe(cmd, sw2);
                continue;
            }
            if (collected == null) {
                return r;
            }
            collected.write(r, 0, n);
            return collected.toByteArray();
        }
        throw new CardProtocolException("no final status word after " + MAX_ROUNDS
                + " exchanges for " + Apdu.describe(command));
    }

    /** The same command with a short Le of {@code le} (replacing the Le it had, or adding one). */
    static byte[] withLe(byte[] c, int le) {
        if (c.length < 4) {
            throw new CardProtocolException("6Cxx to a malformed command");
        }
        if (c.length == 4) {
            byte[] r = java.util.Arrays.copyOf(c, 5);
            r[4] = (byte) le;
            return r;
        }
        if (c.length == 5) {
            byte[] r = c.clone();
            r[4] = (byte) le;
            return r;
        }
        int lc = c[4] & 0xFF;
        if (lc != 0 && c.length == 5 + lc) {
            byte[] r = java.util.Arrays.copyOf(c, c.length + 1);
            r[c.length] = (byte) le;
            return r;
        }
        if (lc != 0 && c.length == 6 + lc) {
            byte[] r = c.clone();
            r[r.length - 1] = (byte) le;
            return r;
        }
        throw new CardProtocolException("6Cxx to an extended-length command " + Apdu.describe(c));
    }

    @Override
    public void close() {
        inner.close();
    }
}
