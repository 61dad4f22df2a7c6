package cardterm.terminal.staff;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A staff member's PIN as kept in the config: PBKDF2-HMAC-SHA256 (the JDK's
 * {@code PBKDF2WithHmacSHA256}) with a 16-byte random salt, in one string
 * {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and 32-byte hash in unpadded base64url). Never
 * the PIN itself; checked in constant time.
 */
public final class PinHash {
    public static final String ALGORITHM = "pbkdf2-sha256";
    /** Iterations of a new hash. */
    public static final int ITERATIONS = 210_000;
    /** Fewest iterations a stored hash may have. */
    public static final int MIN_ITERATIONS = 100_000;
    /** Most iterations a stored hash may have (a check must stay under a few seconds on a Pi). */
    public static final int MAX_ITERATIONS = 5_000_000;
    /** A PIN: 4 to 12 digits. */
    public static final Pattern PIN = Pattern.compile("[0-9]{4,12}");
    private static final Pattern FORMAT = Pattern.compile(
            "pbkdf2-sha256\\$([0-9]{1,9})\\$([A-Za-z0-9_-]{22})\\$([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PinHash() {
    }

    /** A new hash of {@code pin} with a fresh salt. */
    public static String hash(char[] pin) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return encode(ITERATIONS, salt, derive(pin, salt, ITERATIONS));
    }

    /** Why {@code encoded} is not a usable stored hash, or empty when it is. */
    public static Optional<String> problem(String encoded) {
        Matcher m = encoded == null ? null : FORMAT.matcher(encoded);
        if (m == null || !m.matches()) {
            return Optional.of("must be pbkdf2-sha256$ITERATIONS$SALT$HASH as written by 'cardterm staff add'");
        }
        long iterations = Long.parseLong(m.group(1));
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            return Optional.of("iterations must be " + MIN_ITERATIONS + ".." + MAX_ITERATIONS + " (is " + iterations + ")");
        }
        return Optional.empty();
    }

    /** Whether {@code pin} is the PIN of {@code encoded}; false for a malformed hash. */
    public static boolean matches(char[] pin, String encoded) {
        if (pin == null || problem(encoded).isPresent()) {
            return false;
        }
        Matcher m = FORMAT.matcher(encoded);
        m.matches();
        int iterations = Integer.parseInt(m.group(1));
        byte[] salt = Base64.getUrlDecoder().decode(m.group(2));
        byte[] expected = Base64.getUrlDecoder().decode(m.group(3));
        return MessageDigest.isEqual(expected, derive(pin, salt, iterations));
    }

    private static byte[] derive(char[] pin, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(pin, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String encode(int iterations, byte[] salt, byte[] hash) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        String out = ALGORITHM + "$" + iterations + "$" + b.encodeToString(salt) + "$" + b.encodeToString(hash);
        Arrays.fill(hash, (byte) 0);
        return out;
    }
}
