package cardterm.terminal.issuance;

import cardterm.terminal.store.Database;
import cardterm.terminal.store.Migration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable journal of issuance, in the terminal's SQLite database (the same file as the outbox,
 * {@code synchronous=FULL}): one row per job ({@code issuance_job}: who ordered it, what the policy
 * decided, its state and how it ended, whether the end was reported to the hub) and one row per
 * step start and end ({@code issuance_journal}). Every method returns once its write is durable.
 * After a crash the journal says which job was running, how far it got and which chip records the
 * card acknowledged; {@link CrashRecovery} ends that job from it. Steps are named by
 * {@link IssuanceStep#journalName()}. No personal data is kept: the job's citizen is stored as the
 * masked ID number only.
 */
public final class IssuanceJournal {
    /** A job's state. */
    public enum State { QUEUED, RUNNING, COMPLETED, FAILED }

    /** Start or end of a step. */
    public enum Phase { START, END }

    /** One journal line. {@code detail}: the record label, an outcome code, a message; never personal data. */
    public record Entry(long id, String jobId, IssuanceStep step, Phase phase, Instant at, String detail) {}

    /**
     * A job as the journal knows it. {@code code} and {@code step} as the job's final event names
     * them ({@link FailureCode#wireName()}, {@link IssuanceStep#wireName()}), null while it runs.
     */
    public record JobRow(String jobId, String staffId, Instant acceptedAt, boolean elderly, String concession,
            String maskedId, long promisedMs, State state, String code, String step, boolean cardRejected,
            List<String> recordsWritten, String message, boolean reported) {
        public JobRow {
            recordsWritten = List.copyOf(recordsWritten);
        }
    }

    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "issuance jobs and their step journal",
            "CREATE TABLE issuance_job (job_id TEXT PRIMARY KEY, staff_id TEXT NOT NULL, accepted_at TEXT NOT NULL, "
                    + "elderly INTEGER NOT NULL, concession TEXT NOT NULL, masked_id TEXT NOT NULL, "
                    + "promised_ms INTEGER NOT NULL, state TEXT NOT NULL, code TEXT, step TEXT, "
                    + "card_rejected INTEGER NOT NULL DEFAULT 0, records TEXT NOT NULL DEFAULT '', message TEXT, "
                    + "reported INTEGER NOT NULL DEFAULT 0, ended_at TEXT) WITHOUT ROWID",
            "CREATE TABLE issuance_journal (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL, "
                    + "step TEXT NOT NULL, phase TEXT NOT NULL, at TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')",
            "CREATE INDEX issuance_journal_by_job ON issuance_journal(job_id, id)",
            "CREATE INDEX issuance_job_by_state ON issuance_job(state)"),
            Migration.sql(2, "jobs accepted and waiting to run, with their personal data until they start",
                    "CREATE TABLE issuance_waiting (job_id TEXT PRIMARY KEY, job TEXT NOT NULL, "
                            + "announced INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"),
            Migration.sql(3, "the id of a waiting job's issuance.accepted event, made before it is stored",
                    "ALTER TABLE issuance_waiting ADD COLUMN accepted_event TEXT"));

    /** A job that ended, for the console's list of the last jobs. */
    public record Ended(JobRow job, Instant endedAt) {}

    private final Database db;
    private final Clock clock;
    /** Counts the writes that change what {@link #recent} or {@link #entries} return: readers cache by it. */
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

    private IssuanceJournal(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Opens the journal in {@code db}, creating its tables if need be. */
    public static IssuanceJournal open(Database db, Clock clock) {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(clock, "clock");
        db.migrate("issuance", MIGRATIONS);
        return new IssuanceJournal(db, clock);
    }

    /** Stores a newly accepted job as QUEUED (no job to run again after a restart). */
    public void accepted(String jobId, String staffId, Instant acceptedAt, boolean elderly, String concession,
            String maskedId, long promisedMs) {
        accepted(jobId, staffId, acceptedAt, elderly, concession, maskedId, promisedMs, null, null);
    }

    /**
     * Stores a newly accepted job as QUEUED and, in the same transaction, {@code jobJson} (the job
     * with its personal data) so it runs after a restart; that copy is deleted when the job starts
     * ({@link #started}) or ends without starting.
     */
    public void accepted(String jobId, String staffId, Instant acceptedAt, boolean elderly, String concession,
            String maskedId, long promisedMs, String jobJson, String acceptedEventId) {
        db.transaction(c -> {
            if (jobJson != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT OR REPLACE INTO issuance_waiting(job_id, job, accepted_event) VALUES (?,?,?)")) {
                    ps.setString(1, jobId);
                    ps.setString(2, jobJson);
                    ps.setString(3, acceptedEventId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO issuance_job(job_id, staff_id, accepted_at, "
                    + "elderly, concession, masked_id, promised_ms, state) VALUES (?,?,?,?,?,?,?,?)")) {
                ps.setString(1, jobId);
                ps.setString(2, staffId);
                ps.setString(3, acceptedAt.toString());
                ps.setInt(4, elderly ? 1 : 0);
                ps.setString(5, concession);
                ps.setString(6, maskedId);
                ps.setLong(7, promisedMs);
                ps.setString(8, State.QUEUED.name());
                ps.executeUpdate();
            }
            return null;
        });
        version.incrementAndGet();
    }

    /** Marks the job RUNNING and journals its start; its waiting copy (personal data) goes. */
    public void started(String jobId) {
        db.transaction(c -> {
            forgetWaiting(c, jobId);
            setState(c, jobId, State.RUNNING);
            insert(c, jobId, IssuanceStep.JOB, Phase.START, "");
            return null;
        });
        version.incrementAndGet();
    }

    /** Journals a step's start or end. */
    public void log(String jobId, IssuanceStep step, Phase phase, String detail) {
        if (!step.journaled()) {
            throw new IllegalArgumentException(step + " is not a journaled step");
        }
        db.transaction(c -> {
            insert(c, jobId, step, phase, detail);
            return null;
        });
        version.incrementAndGet();
    }

    /** Ends the job COMPLETED (step {@code ejected}); {@code reported} stays false until {@link #reported}. */
    public void completed(String jobId, List<String> records) {
        finish(jobId, State.COMPLETED, null, IssuanceStep.EJECT, false, records, null);
    }

    /** Ends the job FAILED as {@code f} says; {@code reported} stays false until {@link #reported}. */
    public void failed(String jobId, Failure f) {
        finish(jobId, State.FAILED, f.code(), f.step(), f.cardRejected(), f.recordsWritten(), f.message());
    }

    private void finish(String jobId, State state, FailureCode code, IssuanceStep step, boolean cardRejected,
            List<String> records, String message) {
        String codeName = code == null ? null : code.wireName();
        db.transaction(c -> {
            forgetWaiting(c, jobId);
            try (PreparedStatement ps = c.prepareStatement("UPDATE issuance_job SET state = ?, code = ?, step = ?, "
                    + "card_rejected = ?, records = ?, message = ?, reported = 0, ended_at = ? WHERE job_id = ?")) {
                ps.setString(1, state.name());
                ps.setString(2, codeName);
                ps.setString(3, step.wireName());
                ps.setInt(4, cardRejected ? 1 : 0);
                ps.setString(5, String.join(",", records));
                ps.setString(6, message);
                ps.setString(7, clock.instant().toString());
                ps.setString(8, jobId);
                ps.executeUpdate();
            }
            insert(c, jobId, IssuanceStep.JOB, Phase.END, state.name() + (codeName == null ? "" : " " + codeName));
            return null;
        });
        version.incrementAndGet();
    }

    /** The waiting copy of a QUEUED job (the contract's {@code issue} args), if one was kept. */
    public Optional<String> waiting(String jobId) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT job FROM issuance_waiting WHERE job_id = ?")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** The id made for a waiting job's {@code issuance.accepted} event when it was accepted, if kept. */
    public Optional<String> acceptedEventId(String jobId) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT accepted_event FROM issuance_waiting WHERE job_id = ?")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** Whether the {@code issuance.accepted} event of a waiting job is stored (it goes after the row). */
    public boolean announced(String jobId) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT announced FROM issuance_waiting WHERE job_id = ?")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return !rs.next() || rs.getInt(1) == 1;
                }
            }
        });
    }

    /** The {@code issuance.accepted} event of a waiting job is stored. */
    public void markAnnounced(String jobId) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE issuance_waiting SET announced = 1 WHERE job_id = ?")) {
                ps.setString(1, jobId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Forgets a job that failed before any card was fed, so its id may be submitted again: its row,
     * its journal and any waiting copy.
     */
    public void forget(String jobId) {
        db.transaction(c -> {
            forgetWaiting(c, jobId);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM issuance_journal WHERE job_id = ?")) {
                ps.setString(1, jobId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM issuance_job WHERE job_id = ?")) {
                ps.setString(1, jobId);
                ps.executeUpdate();
            }
            return null;
        });
        version.incrementAndGet();
    }

    private static void forgetWaiting(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM issuance_waiting WHERE job_id = ?")) {
            ps.setString(1, jobId);
            ps.executeUpdate();
        }
    }

    /** The job's final event is stored in the outbox. */
    public void reported(String jobId) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE issuance_job SET reported = 1 WHERE job_id = ?")) {
                ps.setString(1, jobId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The job, if the journal knows it. */
    public Optional<JobRow> job(String jobId) {
        return db.transaction(c -> {
            List<JobRow> l = jobs(c, "WHERE job_id = ?", jobId);
            return l.isEmpty() ? Optional.<JobRow>empty() : Optional.of(l.getFirst());
        });
    }

    /** Jobs QUEUED or RUNNING (after a crash: the ones to end), oldest first. */
    public List<JobRow> unfinished() {
        return db.transaction(c -> jobs(c, "WHERE state IN ('QUEUED','RUNNING') ORDER BY accepted_at", null));
    }

    /** Jobs ended whose final event may not be stored yet. */
    public List<JobRow> unreported() {
        return db.transaction(c -> jobs(c, "WHERE state IN ('COMPLETED','FAILED') AND reported = 0 ORDER BY ended_at",
                null));
    }

    /** A number that grows with every change of the jobs and their steps (not across restarts). */
    public long version() {
        return version.get();
    }

    /** The last {@code limit} jobs that ended, newest first. */
    public List<Ended> recent(int limit) {
        return db.transaction(c -> {
            List<Ended> out = new ArrayList<>();
            List<JobRow> rows = jobs(c, "WHERE state IN ('COMPLETED','FAILED') ORDER BY ended_at DESC LIMIT "
                    + Math.max(0, limit), null);
            try (PreparedStatement ps = c.prepareStatement("SELECT ended_at FROM issuance_job WHERE job_id = ?")) {
                for (JobRow r : rows) {
                    ps.setString(1, r.jobId());
                    try (ResultSet rs = ps.executeQuery()) {
                        String at = rs.next() ? rs.getString(1) : null;
                        out.add(new Ended(r, at == null ? r.acceptedAt() : Instant.parse(at)));
                    }
                }
            }
            return out;
        });
    }

    /** Every journal line of a job, in order. */
    public List<Entry> entries(String jobId) {
        return db.transaction(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, step, phase, at, detail FROM issuance_journal WHERE job_id = ? ORDER BY id")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong(1), jobId, IssuanceStep.ofJournal(rs.getString(2)),
                                Phase.valueOf(rs.getString(3)), Instant.parse(rs.getString(4)), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    /** Forgets jobs that ended (and were reported) before {@code now - keep}; returns how many. */
    public int prune(Duration keep) {
        String before = clock.instant().minus(keep).toString();
        return db.transaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM issuance_journal WHERE job_id IN (SELECT job_id "
                    + "FROM issuance_job WHERE reported = 1 AND ended_at < ?)")) {
                del.setString(1, before);
                del.executeUpdate();
            }
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM issuance_job WHERE reported = 1 AND ended_at < ?")) {
                del.setString(1, before);
                return del.executeUpdate();
            }
        });
    }

    private void insert(Connection c, String jobId, IssuanceStep step, Phase phase, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO issuance_journal(job_id, step, phase, at, detail) VALUES (?,?,?,?,?)")) {
            ps.setString(1, jobId);
            ps.setString(2, step.journalName());
            ps.setString(3, phase.name());
            ps.setString(4, clock.instant().toString());
            ps.setString(5, detail == null ? "" : detail);
            ps.executeUpdate();
        }
    }

    private static void setState(Connection c, String jobId, State state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE issuance_job SET state = ? WHERE job_id = ?")) {
            ps.setString(1, state.name());
            ps.setString(2, jobId);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("job " + jobId + " is not in the journal");
            }
        }
    }

    private static List<JobRow> jobs(Connection c, String where, String arg) throws SQLException {
        List<JobRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT job_id, staff_id, accepted_at, elderly, concession, "
                + "masked_id, promised_ms, state, code, step, card_rejected, records, message, reported "
                + "FROM issuance_job " + where)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String rec = rs.getString(12);
                    out.add(new JobRow(rs.getString(1), rs.getString(2), Instant.parse(rs.getString(3)), rs.getInt(4) == 1,
                            rs.getString(5), rs.getString(6), rs.getLong(7), State.valueOf(rs.getString(8)),
                            rs.getString(9), rs.getString(10), rs.getInt(11) == 1,
                            rec == null || rec.isEmpty() ? List.of() : List.of(rec.split(",")), rs.getString(13),
                            rs.getInt(14) == 1));
                }
            }
        }
        return out;
    }
}
