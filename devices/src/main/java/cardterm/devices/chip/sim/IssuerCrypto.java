package cardterm.devices.chip.sim;

import cardterm.devices.pcsc.Apdu;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The test key scheme of chip-profile.md (simulators and tests only, never production): two-key
 * 3DES, PBOC-style diversification {@code KL = 3DES(master, div)}, {@code KR = 3DES(master, NOT div)},
 * card key {@code KL || KR}, cryptogram {@code C = 3DES(cardKey, R)}.
 */
final class IssuerCrypto {
    /** The test issuer master key {@code 404142434445464748494A4B4C4D4E4F}. */
    public static final byte[] TEST_MASTER_KEY = Apdu.fromHex("404142434445464748494A4B4C4D4E4F");

    private IssuerCrypto() {
    }

    /** The card key for a diversifier (the last 8 bytes of the identification code). */
    public static byte[] diversify(byte[] masterKey, byte[] div) {
        if (div.length != 8) {
            throw new IllegalArgumentException("diversifier must be 8 bytes");
        }
        byte[] notDiv = new byte[8];
        for (int i = 0; i < 8; i++) {
            notDiv[i] = (byte) ~div[i];
        }
        byte[] key = new byte[16];
        System.arraycopy(encrypt(masterKey, div), 0, key, 0, 8);
        System.arraycopy(encrypt(masterKey, notDiv), 0, key, 8, 8);
        return key;
    }

    /** {@code 3DES-ECB(key, challenge)}: what EXTERNAL AUTHENTICATE expects. */
    public static byte[] cryptogram(byte[] cardKey, byte[] challenge) {
        return encrypt(cardKey, challenge);
    }

    /** Two-key 3DES-ECB of one 8-byte block. */
    static byte[] encrypt(byte[] key16, byte[] block8) {
        if (key16.length != 16 || block8.length != 8) {
            throw new IllegalArgumentException("3DES needs a 16-byte key and an 8-byte block");
        }
        byte[] k24 = Arrays.copyOf(key16, 24);
        System.arraycopy(key16, 0, k24, 16, 8);
        try {
            Cipher c = Cipher.getInstance("DESede/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k24, "DESede"));
            return c.doFinal(block8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("3DES is not available", e);
        }
    }
}
