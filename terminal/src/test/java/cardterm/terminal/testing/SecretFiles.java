package cardterm.terminal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes key and password files as they must be on a terminal: UTF-8, mode 0600 (config check,
 * selftest, run and {@code simulate --command-key} refuse one that group or others may read).
 */
public final class SecretFiles {
    private SecretFiles() {
    }

    /** Writes {@code text} to {@code file} with mode 0600; returns {@code file}. */
    public static Path write(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8), "rw-------");
    }

    /** Writes {@code bytes} to {@code file} with {@code mode} (e.g. {@code rw-r-----}); returns {@code file}. */
    public static Path write(Path file, byte[] bytes, String mode) {
        try {
            Files.write(file, bytes);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
