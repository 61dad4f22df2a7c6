package cardterm.terminal.provision;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A line of mosquitto 2's {@code password_file}: {@code user:$7$ITERATIONS$SALT$HASH}, the hash
 * PBKDF2-HMAC-SHA512 of the password with a 12-byte random salt, 64 bytes, salt and hash in
 * standard Base64 (what {@code mosquitto_passwd} 2.0 writes; 101 iterations is its default).
 * Made here so a hub admin's machine needs no mosquitto to provision a branch.
 */
public final class MosquittoPassword {
    /** mosquitto_passwd's default iteration count. */
    public static final int ITERATIONS = 101;
    private static final int SALT_BYTES = 12;
    private static final int HASH_BYTES = 64;

    private MosquittoPassword() {}

    /** {@code user:$7$101$salt$hash} for {@code password}, with a fresh salt. */
    public static String line(String user, String password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return user + ":" + hash(password, salt, ITERATIONS);
    }

    /** {@code $7$iterations$salt$hash}. */
    public static String hash(String password, byte[] salt, int iterations) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(pbkdf2(password, salt, iterations));
    }

    /** Whether {@code password} matches a {@code $7$} hash (for tests and checks). */
    public static boolean matches(String password, String hash) {
        String[] p = hash.split("\\$");
        if (p.length != 5 || !p[1].equals("7")) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(p[3]);
        return hash(password, salt, Integer.parseInt(p[2])).equals(hash);
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BYTES * 8);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 unavailable", e);
        }
    }
}
