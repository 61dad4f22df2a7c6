package cardterm.terminal.provision;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A terminal's client certificate, made with the {@code openssl} command: a P-256 key (PKCS#8,
 * which the hub link reads) and a certificate with CN = the terminal id (the broker's user name
 * under {@code use_identity_as_username}), OU = the site, {@code extendedKeyUsage=clientAuth},
 * signed by the given CA, with a random serial (no serial file is written beside the CA).
 */
final class ClientCertificate {
    /** openssl failed or is missing: the message says what to do. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private ClientCertificate() {}

    /** Writes {@code dir/terminal.key} (0600) and {@code dir/terminal.pem}. */
    static void make(Path dir, String site, String terminal, Path ca, Path caKey, int days, SecureRandom random)
            throws Failure, IOException {
        Path key = dir.resolve("terminal.key");
        Path csr = dir.resolve("terminal.csr");
        Path ext = dir.resolve("terminal.ext");
        Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n");
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-out", csr.toString(), "-subj", "/OU=" + site + "/CN=" + terminal);
        Provisioner.ownerOnly(key);
        String serial = "0x" + new BigInteger(127, random).toString(16);
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toAbsolutePath().toString(), "-CAkey",
                caKey.toAbsolutePath().toString(), "-set_serial", serial, "-days", Integer.toString(days), "-sha256",
                "-extfile", ext.toString(), "-out", dir.resolve("terminal.pem").toString());
        Files.delete(csr);
        Files.delete(ext);
    }

    /** Whether an {@code openssl} command can be run. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void openssl(Path dir, String... args) throws Failure, IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new Failure("openssl cannot be run (apt-get install -y openssl): " + e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Failure("openssl " + args[0] + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new Failure("openssl " + args[0] + " failed (exit " + p.exitValue() + "): " + out);
        }
    }
}
