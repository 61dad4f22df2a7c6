package cardterm.terminal.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's native library from a copy kept in the data folder. Left to itself, sqlite-jdbc works
 * out the platform on every start (which runs {@code uname -o} in a child process) and copies its
 * 1 MB library out of the jar into the temporary folder (a fresh one each start under systemd's
 * PrivateTmp), then loads that copy. Here the first start copies it once to {@code
 * DATA/native/sqlite-VERSION-ARCH/} and every start points sqlite-jdbc at it ({@code
 * org.sqlite.lib.path}, {@code org.sqlite.lib.name}), which it loads without either step; its
 * temporary folder ({@code org.sqlite.tmpdir}), which it lists at each start, is that small folder
 * too rather than a shared {@code /tmp} of thousands of entries. If that
 * copy cannot be made or loaded, sqlite-jdbc goes its own way as before; an operator's own {@code
 * org.sqlite.lib.path} is left alone.
 */
final class SqliteNative {
    private static final Logger log = LoggerFactory.getLogger(SqliteNative.class);
    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";
    static final String TMPDIR_PROPERTY = "org.sqlite.tmpdir";

    private SqliteNative() {
    }

    /** Points sqlite-jdbc at the copy under {@code dataDir}, making it first if need be; once per JVM. */
    static synchronized void useCopyIn(Path dataDir) {
        if (System.getProperty(PATH_PROPERTY) != null) {
            return; // set by the operator, or by an earlier call
        }
        String name = System.mapLibraryName("sqlitejdbc");
        Path dir = dataDir.resolve("native").resolve(("sqlite-" + org.sqlite.SQLiteJDBCLoader.getVersion() + "-"
                + System.getProperty("os.arch", "unknown")).replaceAll("[^A-Za-z0-9._-]", "_").toLowerCase(Locale.ROOT));
        Path lib = dir.resolve(name);
        try {
            if (!Files.isRegularFile(lib)) {
                copyOut(dir, name);
            }
            System.setProperty(PATH_PROPERTY, dir.toString());
            System.setProperty(NAME_PROPERTY, name);
            if (System.getProperty(TMPDIR_PROPERTY) == null) {
                // sqlite-jdbc lists its temporary folder at each start to delete its old copies: this small one
                System.setProperty(TMPDIR_PROPERTY, dir.toString());
            }
        } catch (IOException | RuntimeException e) {
            log.debug("sqlite native library not kept in {} ({}): sqlite-jdbc extracts it itself", dir, e.toString());
        }
    }

    private static void copyOut(Path dir, String name) throws IOException {
        String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
        try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " in sqlite-jdbc");
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".part");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
