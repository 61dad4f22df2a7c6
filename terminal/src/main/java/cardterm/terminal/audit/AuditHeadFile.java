package cardterm.terminal.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit log's head kept outside the database: a small file {@value #FILE_NAME} beside it
 * holding the seq and hash of the last entry written ({@code cardterm-audit-head 1 <seq> <hash>}),
 * replaced atomically (written to a temporary file, synced, renamed, directory synced) after each
 * entry's commit. It may therefore lag the database by one entry after a crash, never lead it.
 * It survives what the database's own counters cannot: the database file deleted or put back
 * from an older copy.
 */
public final class AuditHeadFile {
    /** The file's name, in the directory of the database. */
    public static final String FILE_NAME = "audit.head";

    private static final Pattern FORMAT = Pattern.compile("cardterm-audit-head 1 ([1-9][0-9]{0,18}) ([A-Za-z0-9_-]{43})\\s*");

    /** A head as recorded. */
    public record Head(long seq, String hash) {}

    /** What reading found: nothing (absent), a head, or a file that is not one. */
    public sealed interface Read permits Absent, Found, Garbled {}

    public record Absent() implements Read {}

    public record Found(Head head) implements Read {}

    public record Garbled(String why) implements Read {}

    private AuditHeadFile() {
    }

    /** The head file beside the database file {@code dbFile}. */
    public static Path beside(Path dbFile) {
        return dbFile.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    /** Reads the head file. */
    public static Read read(Path file) {
        String text;
        try {
            if (Files.size(file) > 1024) {
                return new Garbled("larger than a head file can be");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Absent();
        } catch (IOException e) {
            return new Garbled("unreadable: " + e.getMessage());
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return new Garbled("not in the head file's format");
        }
        return new Found(new Head(Long.parseLong(m.group(1)), m.group(2)));
    }

    /** Replaces the head file atomically and durably with {@code seq} and {@code hash}. */
    public static void write(Path file, long seq, String hash) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        byte[] bytes = ("cardterm-audit-head 1 " + seq + " " + hash + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename is still atomic
        }
    }
}
