package cardterm.devices.chip.sim;

import cardterm.devices.pcsc.Apdu;
import java.util.Arrays;

/**
 * The issuer SAM of chip-profile.md, in process: {@code 80 1A 39 01 08 <div>} diversifies the
 * master key for a card, then {@code 80 FA 00 00 08 <R>} returns {@code 3DES(cardKey, R)};
 * {@code 80 FA} before a successful {@code 80 1A} answers 6985. Made with the test master key, or
 * a wrong one to inject {@code 63Cx} at the card. Thread-safe.
 */
public final class SimulatedSam implements VirtualCard {
    private static final byte[] ATR = Apdu.fromHex("3B6900003B10DB010000000001");
    /** A master key that is not the test key: cryptograms the card refuses. */
    public static final byte[] WRONG_MASTER_KEY = Apdu.fromHex("0102030405060708090A0B0C0D0E0F10");

    private final byte[] masterKey;
    private byte[] cardKey;

    public SimulatedSam(byte[] masterKey) {
        if (masterKey.length != 16) {
            throw new IllegalArgumentException("two-key 3DES master key is 16 bytes");
        }
        this.masterKey = masterKey.clone();
    }

    /** A SAM with the test issuer key. */
    public static SimulatedSam withTestKey() {
        return new SimulatedSam(IssuerCrypto.TEST_MASTER_KEY);
    }

    /** A SAM whose key does not match the cards': EXTERNAL AUTHENTICATE fails with 63Cx. */
    public static SimulatedSam withWrongKey() {
        return new SimulatedSam(WRONG_MASTER_KEY);
    }

    @Override
    public byte[] atr() {
        return ATR.clone();
    }

    @Override
    public synchronized void reset() {
        cardKey = null;
    }

    @Override
    public synchronized byte[] process(byte[] c) {
        if (c.length < 4) {
            return sw(0x6700);
        }
        if ((c[0] & 0xFF) != 0x80) {
            return sw(0x6E00);
        }
        int ins = c[1] & 0xFF;
        if (ins != 0x1A && ins != 0xFA) {
            return sw(0x6D00);
        }
        if (c.length < 6 || (c[4] & 0xFF) != 8 || (c.length != 13 && c.length != 14)) {
            return sw(0x6700);
        }
        byte[] data = Arrays.copyOfRange(c, 5, 13);
        if (ins == 0x1A) {
            if ((c[2] & 0xFF) != 0x39 || (c[3] & 0xFF) != 0x01) {
                return sw(0x6A86);
            }
            cardKey = IssuerCrypto.diversify(masterKey, data);
            return sw(0x9000);
        }
        if (c[2] != 0 || c[3] != 0) {
            return sw(0x6A86);
        }
        if (cardKey == null) {
            return sw(0x6985);
        }
        byte[] r = Arrays.copyOf(IssuerCrypto.cryptogram(cardKey, data), 10);
        r[8] = (byte) 0x90;
        r[9] = 0x00;
        return r;
    }

    private static byte[] sw(int sw) {
        return new byte[] {(byte) (sw >> 8), (byte) sw};
    }
}
