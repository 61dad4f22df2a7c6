package cardterm.terminal.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The rule for files that hold a secret (the hub's command key, the MQTT password, the TLS client
 * key), as OpenSSH keeps it for private keys: only the owner may read or write one (no mode bit of
 * 077), and its content is UTF-8 text. A file that breaks it is refused with the command that
 * fixes it. The content never appears in a message.
 */
public final class SecretFile {
    /** Larger files are refused: a secret file holds one key or password. */
    public static final long MAX_BYTES = 64 * 1024;
    /** The system user the packaged service runs as (named in the fix). */
    public static final String SERVICE_USER = "cardterm";

    /** What was read: the text (null when it could not be read or is not UTF-8) and every problem. */
    public record Read(String text, List<String> problems) {
        public Read {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private SecretFile() {
    }

    /**
     * Reads {@code file} and checks it; every problem (one line each, naming the file and the fix,
     * to be prefixed with the config key or option that named it) at once.
     */
    public static Read read(Path file) {
        Objects.requireNonNull(file, "file");
        List<String> problems = new ArrayList<>();
        String modeProblem = modeProblem(file);
        if (modeProblem != null) {
            problems.add(modeProblem);
        }
        String text = null;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                problems.add(file + " is larger than " + MAX_BYTES / 1024 + " KiB (" + size
                        + " bytes); it should hold one secret");
                return new Read(null, problems);
            }
            byte[] bytes = Files.readAllBytes(file);
            int bad = firstBadByte(bytes);
            if (bad >= 0) {
                problems.add(file + " is not UTF-8 text (byte " + bad + " of " + bytes.length
                        + " is not valid UTF-8): write the secret into it as UTF-8 text");
            } else {
                text = new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            problems.add("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        return new Read(text, problems);
    }

    /**
     * What is wrong with the permissions of {@code file}, with the fix; null when only its owner
     * may read or write it, or when the file system has no POSIX permissions.
     */
    public static String modeProblem(Path file) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return null; // not POSIX (or unreadable: the read reports it)
        }
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 = 0400, ..., OTHERS_EXECUTE = 0001
        }
        if ((mode & 077) == 0) {
            return null;
        }
        boolean read = (mode & 044) != 0;
        boolean write = (mode & 022) != 0;
        String what = read && write ? "readable and writable" : read ? "readable" : write ? "writable" : "executable";
        return file + " is " + what + " by group or others (mode " + String.format("%04o", mode) + "): run chmod 0600 "
                + file + " (and chown " + SERVICE_USER + ": " + file + " if the service runs as " + SERVICE_USER + ")";
    }

    /** The offset of the first byte that is not valid UTF-8, or -1 when all are. */
    static int firstBadByte(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            return in.position();
        }
        r = d.flush(out);
        return r.isError() ? in.position() : -1;
    }
}
