package cardterm.devices.pcsc;

import java.util.Arrays;

/** A response APDU: data then SW1 SW2. Immutable; {@link #toString()} shows the SW and length only. */
public final class ApduResponse {
    public static final int SW_OK = 0x9000;

    private final byte[] bytes;

    public ApduResponse(byte[] bytes) {
        if (bytes == null || bytes.length < 2) {
            throw new CardProtocolException("response without status word ("
                    + (bytes == null ? 0 : bytes.length) + " bytes)");
        }
        this.bytes = bytes.clone();
    }

    /** Status word, e.g. {@code 0x9000}. */
    public int sw() {
        return ((bytes[bytes.length - 2] & 0xFF) << 8) | (bytes[bytes.length - 1] & 0xFF);
    }

    public int sw1() {
        return bytes[bytes.length - 2] & 0xFF;
    }

    public int sw2() {
        return bytes[bytes.length - 1] & 0xFF;
    }

    public boolean isOk() {
        return sw() == SW_OK;
    }

    /**
     * This response if its status word is {@code expected}, else {@link StatusWordException}.
     *
     * @param command what was sent, without data (e.g. {@code SELECT EF05}), for the message
     */
    public ApduResponse require(int expected, String command) {
        if (sw() != expected) {
            throw new StatusWordException(sw(), command);
        }
        return this;
    }

    /** {@link #require} 9000. */
    public ApduResponse requireOk(String command) {
        return require(SW_OK, command);
    }

    /** The data without the status word. */
    public byte[] data() {
        return Arrays.copyOf(bytes, bytes.length - 2);
    }

    public int dataLength() {
        return bytes.length - 2;
    }

    /** Data and status word, as received. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApduResponse r && Arrays.equals(r.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return String.format("SW=%04X len=%d", sw(), dataLength());
    }
}
