package cardterm.terminal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void opensOneFileInWalModeWithFullSync() throws SQLException {
        try (Database db = Database.open(dir.resolve("data"))) {
            assertThat(db.file()).isEqualTo(dir.resolve("data").resolve(Database.FILE_NAME)).exists();
            try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
                assertThat(scalar(s, "PRAGMA journal_mode")).isEqualTo("wal");
                assertThat(scalar(s, "PRAGMA synchronous")).isEqualTo("2"); // FULL
            }
            assertThat(db.schemaVersion("core")).isEqualTo(1);
        }
    }

    @Test
    void countersSurviveReopening() {
        try (Database db = Database.open(dir)) {
            assertThat(db.counter("hub.bdSeq")).isZero();
            assertThat(db.incrementCounter("hub.bdSeq")).isEqualTo(1);
            assertThat(db.incrementCounter("hub.bdSeq")).isEqualTo(2);
            db.setCounter("other", 41);
        }
        try (Database db = Database.open(dir)) {
            assertThat(db.incrementCounter("hub.bdSeq")).isEqualTo(3);
            assertThat(db.counter("other")).isEqualTo(41);
        }
    }

    @Test
    void migrationsApplyOnceInOrderAndLaterStepsAddOn() throws SQLException {
        Migration v1 = Migration.sql(1, "journal", "CREATE TABLE journal (id INTEGER PRIMARY KEY, job TEXT)");
        Migration v2 = Migration.sql(2, "journal state", "ALTER TABLE journal ADD COLUMN state TEXT");
        try (Database db = Database.open(dir)) {
            db.migrate("journal", List.of(v1));
            db.migrate("journal", List.of(v1)); // again: nothing to do
            assertThat(db.schemaVersion("journal")).isEqualTo(1);
        }
        try (Database db = Database.open(dir)) {
            db.migrate("journal", List.of(v1, v2));
            assertThat(db.schemaVersion("journal")).isEqualTo(2);
            db.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO journal(job, state) VALUES ('J-1', 'queued')");
                }
                return null;
            });
            assertThat(db.schemaVersion("core")).isEqualTo(1);
        }
    }

    @Test
    void refusesGapsAndDowngrades() {
        try (Database db = Database.open(dir)) {
            assertThatThrownBy(() -> db.migrate("audit", List.of(Migration.sql(2, "x", "SELECT 1"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numbered 1..1");
            db.migrate("audit", List.of(Migration.sql(1, "a", "CREATE TABLE a (x)"),
                    Migration.sql(2, "b", "CREATE TABLE b (x)")));
            assertThatThrownBy(() -> db.migrate("audit", List.of(Migration.sql(1, "a", "CREATE TABLE a (x)"))))
                    .isInstanceOf(DatabaseException.class).hasMessageContaining("downgrade");
            assertThatThrownBy(() -> db.migrate("Bad Name", List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aFailingStepLeavesNoTraceAndNoVersion() {
        try (Database db = Database.open(dir)) {
            Migration broken = Migration.sql(1, "broken", "CREATE TABLE t1 (x)", "THIS IS NOT SQL");
            assertThatThrownBy(() -> db.migrate("feature", List.of(broken))).isInstanceOf(DatabaseException.class);
            assertThat(db.schemaVersion("feature")).isZero();
            Migration fixed = Migration.sql(1, "fixed", "CREATE TABLE t1 (x)");
            db.migrate("feature", List.of(fixed)); // t1 was rolled back, so this works
            assertThat(db.schemaVersion("feature")).isEqualTo(1);
        }
    }

    @Test
    void theSharedConnectionDoesNotHoldTheWriteLockBetweenTransactions() throws SQLException {
        try (Database db = Database.open(dir)) {
            db.incrementCounter("x");
            try (Connection other = db.openConnection(); Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout = 0"); // fail at once rather than wait if locked
                long t0 = System.nanoTime();
                Database.inTransaction(other, c -> {
                    Database.writeCounter(c, "y", 1);
                    return null;
                });
                assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L);
            }
            db.incrementCounter("x"); // and the other connection released it too
            assertThat(db.counter("y")).isEqualTo(1);
        }
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
