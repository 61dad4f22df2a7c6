package cardterm.terminal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal's one SQLite file ({@value #FILE_NAME} in the data directory): WAL journal,
 * {@code synchronous=FULL} (a commit survives power loss), a {@code schema_version} table with
 * per-component migrations, and a small {@code counters} table (bdSeq, last event seq, ...).
 *
 * <p>A feature adds its tables by calling {@link #migrate(String, List)} with its own component
 * name and steps numbered from 1; steps already applied are skipped. Small writes go through the
 * shared connection ({@link #transaction}); a component with heavy traffic (the outbox) opens its
 * own connections with {@link #openConnection()} and runs its transactions with
 * {@link #inTransaction}. Thread-safe; close it last.
 */
public final class Database implements AutoCloseable {
    /** The file name inside the data directory. */
    public static final String FILE_NAME = "cardterm.db";

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Pattern COMPONENT = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final int BUSY_TIMEOUT_MS = 10_000;

    /** Work done inside one transaction of the shared connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Path file;
    private final String url;
    private final Connection shared;
    private final ReentrantLock sharedLock = new ReentrantLock();
    private final Set<Connection> opened = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Database(Path file) throws SQLException {
        this.file = file;
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        this.shared = connect();
    }

    /**
     * Opens (creating if need be) {@value #FILE_NAME} in {@code dataDir}, which is created too, and
     * brings the core tables ({@code schema_version}, {@code counters}) up to date.
     */
    public static Database open(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new DatabaseException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        SqliteNative.useCopyIn(dataDir); // no child process, no 1 MB copy at each start
        Database db;
        try {
            db = new Database(dataDir.resolve(FILE_NAME));
        } catch (SQLException e) {
            throw new DatabaseException("cannot open " + dataDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
        try {
            db.createVersionTable();
            db.migrate("core", List.of(Migration.sql(1, "counters",
                    "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID")));
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /**
     * A new connection to the same file with the same settings (WAL, {@code synchronous=FULL},
     * busy timeout, transactions that take the write lock at BEGIN). The caller closes it; any
     * still open are closed with the database.
     */
    public Connection openConnection() {
        checkOpen();
        try {
            Connection c = connect();
            opened.removeIf(Database::isClosedQuietly);
            opened.add(c);
            return c;
        } catch (SQLException e) {
            throw new DatabaseException("cannot open a connection to " + file + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // connections stay in auto-commit mode; transactions are explicit (see inTransaction)
        return config.createConnection(url);
    }

    /**
     * Runs {@code work} in one transaction of the shared connection: committed (durably) when it
     * returns, rolled back when it throws. Calls are serialised; keep the work short.
     */
    public <T> T transaction(Work<T> work) {
        checkOpen();
        sharedLock.lock();
        try {
            return inTransaction(shared, work);
        } catch (SQLException e) {
            throw new DatabaseException("database transaction failed: " + e.getMessage(), e);
        } finally {
            sharedLock.unlock();
        }
    }

    /**
     * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE} .. {@code COMMIT}) of a
     * connection in auto-commit mode. Use this rather than {@code setAutoCommit(false)}: the
     * sqlite-jdbc driver opens the next transaction right after each commit in that mode, which
     * would hold the write lock between transactions.
     */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("BEGIN IMMEDIATE");
        }
        try {
            T result = work.run(c);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("COMMIT");
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    /**
     * Brings {@code component}'s tables up to date: applies, in order, each step whose version is
     * above the component's current one. Steps must be numbered 1, 2, 3, ... without gaps. A
     * database newer than the steps known here (a downgrade) is refused.
     */
    public void migrate(String component, List<Migration> steps) {
        if (component == null || !COMPONENT.matcher(component).matches()) {
            throw new IllegalArgumentException("component name must match " + COMPONENT + ": " + component);
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).version() != i + 1) {
                throw new IllegalArgumentException(component + " migrations must be numbered 1.." + steps.size()
                        + " in order; step " + (i + 1) + " has version " + steps.get(i).version());
            }
        }
        int current = schemaVersion(component);
        if (current > steps.size()) {
            throw new DatabaseException("database " + file + " has " + component + " schema version " + current
                    + " but this build knows only up to " + steps.size() + " (downgrade?)");
        }
        for (Migration m : steps.subList(current, steps.size())) {
            transaction(c -> {
                // re-check inside the write lock: another process or thread may have applied it
                if (versionOf(c, component) >= m.version()) {
                    return null;
                }
                m.step().apply(c);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_version(component, version, description, applied_at) VALUES (?,?,?,?)")) {
                    ps.setString(1, component);
                    ps.setInt(2, m.version());
                    ps.setString(3, m.description());
                    ps.setString(4, Instant.now().toString());
                    ps.executeUpdate();
                }
                return null;
            });
            log.info("database {}: {} schema now at version {} ({})", file.getFileName(), component, m.version(),
                    m.description());
        }
    }

    /** The component's schema version, 0 if it has none yet. */
    public int schemaVersion(String component) {
        return transaction(c -> versionOf(c, component));
    }

    private void createVersionTable() {
        transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (component TEXT NOT NULL, "
                        + "version INTEGER NOT NULL, description TEXT NOT NULL, applied_at TEXT NOT NULL, "
                        + "PRIMARY KEY (component, version)) WITHOUT ROWID");
            }
            return null;
        });
    }

    private static int versionOf(Connection c, String component) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(MAX(version), 0) FROM schema_version WHERE component = ?")) {
            ps.setString(1, component);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The counter's value, 0 if never set. */
    public long counter(String name) {
        return transaction(c -> readCounter(c, name));
    }

    /** Adds 1 to the counter and returns the new value, durably stored on return. */
    public long incrementCounter(String name) {
        return transaction(c -> {
            long next = readCounter(c, name) + 1;
            writeCounter(c, name, next);
            return next;
        });
    }

    /** Sets the counter, durably stored on return. */
    public void setCounter(String name, long value) {
        transaction(c -> {
            writeCounter(c, name, value);
            return null;
        });
    }

    /** Reads a counter on any connection of this database (for use inside a component's own transaction). */
    public static long readCounter(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
            ps.setString(1, Objects.requireNonNull(name, "name"));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    /** Writes a counter on any connection of this database (for use inside a component's own transaction). */
    public static void writeCounter(Connection c, String name, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, Objects.requireNonNull(name, "name"));
            ps.setLong(2, value);
            ps.executeUpdate();
        }
    }

    static void rollbackQuietly(Connection c) {
        try (Statement s = c.createStatement()) {
            if (!c.getAutoCommit()) {
                c.rollback();
            } else {
                s.executeUpdate("ROLLBACK");
            }
        } catch (SQLException e) {
            log.debug("rollback failed", e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new DatabaseException("database " + file + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Connection c : opened) {
            closeQuietly(c);
        }
        opened.clear();
        sharedLock.lock();
        try {
            closeQuietly(shared);
        } finally {
            sharedLock.unlock();
        }
    }

    private static boolean isClosedQuietly(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing a database connection failed", e);
        }
    }
}
