package cardterm.terminal.audit;

import cardterm.terminal.event.EventSink;
import cardterm.terminal.event.SafeText;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.DatabaseException;
import cardterm.terminal.store.Migration;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal's local, tamper-evident audit log: every job, command and staff action as an
 * {@link AuditEntry} attributed to a staff id, hash-chained ({@link AuditChain}) and committed to
 * the terminal's SQLite database before {@link #record} returns; then sent to the hub as an
 * {@value #EVENT_TYPE} event carrying the entry with its seq and hashes, so the hub holds the
 * anchors a local rewrite of the whole chain could not forge. Each entry is sent once: the
 * {@value #PUBLISHED_COUNTER} counter is raised as soon as the outbox has it, so only a crash
 * between those two commits sends an entry again (same seq and hash; the hub drops it by seq).
 *
 * <p>Tables ({@code audit} component): {@code audit_log} (the chain) and {@code audit_head} (the
 * last seq and hash). The head is also kept where deleting rows of {@code audit_log} cannot lower
 * it: the {@value AuditVerifier#HIGH_WATER_COUNTER} counter (table {@code counters}), in the same
 * transaction as each entry, and the {@link AuditHeadFile} beside the database.
 *
 * <p>Opening the log verifies the whole chain ({@link AuditVerifier}). A break (an edited,
 * removed, reordered or inserted entry, or a log cut short below its high-water mark) is logged,
 * sent to the hub as an {@value AuditIntegrity#EVENT_TYPE} event naming the first bad seq, and
 * shown in health ({@link #integrity()}: DEGRADED/INTEGRITY_BROKEN). It is never written over:
 * new entries take the seqs after the highest ever written and chain onto the hash the terminal
 * recorded for it, so {@code cardterm audit verify} keeps failing. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
    /** The event type of an audit entry sent to the hub. */
    public static final String EVENT_TYPE = "audit.entry";
    /** The counter holding the highest seq handed to the outbox. */
    static final String PUBLISHED_COUNTER = "audit.published";
    /** Longest text of an entry's subject or detail strings; longer ones are cut, saying their length. */
    static final int MAX_TEXT = 1000;

    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "hash-chained audit log",
            "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, staff_id TEXT NOT NULL, "
                    + "action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, "
                    + "hash TEXT NOT NULL)",
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL)"));

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final EventSink sink;
    private final Clock clock;
    private final Path headFile;
    private final AuditIntegrity integrity;
    private long lastSeq;
    private String lastHash;
    private long published;

    private AuditLog(Database db, EventSink sink, Clock clock) {
        this.db = db;
        this.sink = sink;
        this.clock = clock;
        this.headFile = AuditHeadFile.beside(db.file());
        this.integrity = new AuditIntegrity(clock);
    }

    /**
     * Opens the log in {@code db} (creating its tables), verifies the whole chain (a break is
     * reported, see above), and sends entries not yet sent.
     */
    public static AuditLog open(Database db, EventSink sink, Clock clock) {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(clock, "clock");
        db.migrate("audit", MIGRATIONS);
        AuditLog a = new AuditLog(db, sink, clock);
        a.load();
        return a;
    }

    private void load() {
        AuditVerifier.Report report;
        // on a connection of its own and outside a write transaction: the outbox writes on meanwhile
        try (Connection c = db.openConnection()) {
            report = AuditVerifier.verify(c, headFile);
        } catch (SQLException e) {
            throw new DatabaseException("cannot verify the audit log in " + db.file() + ": " + e.getMessage(), e);
        }
        // continue after the highest seq ever written, chained onto the hash the terminal recorded for it
        lastSeq = report.highWaterSeq();
        lastHash = report.chainHash();
        db.transaction(c -> {
            if (Database.readCounter(c, AuditVerifier.HIGH_WATER_COUNTER) < lastSeq) {
                Database.writeCounter(c, AuditVerifier.HIGH_WATER_COUNTER, lastSeq); // first start after an upgrade
            }
            published = Math.min(lastSeq, Database.readCounter(c, PUBLISHED_COUNTER));
            return null;
        });
        if (lastSeq > 0 && AuditHeadFile.read(headFile) instanceof AuditHeadFile.Absent) {
            writeHeadFile(lastSeq, lastHash);
        }
        integrity.checked(report);
        if (report.intact()) {
            log.info("audit log verified: {} entries, last seq {}, in {} ms", report.entries(), report.lastSeq(),
                    report.took().toMillis());
        } else {
            AuditFinding first = report.firstBad().orElseThrow();
            log.error("audit log NOT intact ({} problems, checked in {} ms): first bad seq {} ({}): {}; new entries "
                    + "continue at seq {}; cardterm audit verify lists every problem", report.findings().size(),
                    report.took().toMillis(), first.seq(), first.kind().wireName(), first.message(), lastSeq + 1);
            report.findings().stream().skip(1).limit(AuditIntegrity.MAX_FINDINGS)
                    .forEach(f -> log.error("audit log: {}", f.message()));
            try {
                sink.publish(AuditIntegrity.EVENT_TYPE, AuditIntegrity.event(report));
            } catch (RuntimeException ex) {
                log.error("the audit log's break could not be stored for the hub: {}", ex.toString());
            }
        }
        synchronized (this) {
            sendPending();
        }
    }

    /** The audit log's part in health: whether the check at start found the chain intact. */
    public AuditIntegrity integrity() {
        return integrity;
    }

    private void writeHeadFile(long seq, String hash) {
        try {
            AuditHeadFile.write(headFile, seq, hash);
        } catch (IOException e) {
            log.warn("audit head file {} not written (the database still holds the head): {}", headFile, e.toString());
        }
    }

    /**
     * Appends one entry, durably, then sends it to the hub.
     *
     * @param staffId who acted ({@link AuditEntry#HUB} or {@link AuditEntry#TERMINAL} when no person did)
     * @param action what was done, e.g. {@code issuance.job.accepted}
     * @param subject what it was done to (job id, request id, call id), or empty
     * @param detail more, without personal data (a copy is kept)
     * @return the entry as stored
     */
    public synchronized AuditEntry record(String staffId, String action, String subject, ObjectNode detail) {
        long seq = lastSeq + 1;
        Instant at = clock.instant();
        // what came from outside (a request id, a console line) never enters the chain raw
        ObjectNode d = detail == null ? JsonNodeFactory.instance.objectNode() : SafeText.scrub(detail, MAX_TEXT);
        subject = subject == null ? null : SafeText.of(subject, MAX_TEXT);
        String canonical = AuditChain.canonical(seq, at, staffId, action, subject == null ? "" : subject, d);
        String hash = AuditChain.hash(lastHash, canonical);
        AuditEntry e = new AuditEntry(seq, at, staffId, action, subject, d, lastHash, hash);
        db.transaction(c -> {
            insert(c, e);
            Database.writeCounter(c, AuditVerifier.HIGH_WATER_COUNTER, seq);
            return null;
        });
        lastSeq = seq;
        lastHash = hash;
        writeHeadFile(seq, hash);
        sendPending();
        return e;
    }

    /** The last entry's seq (0 when empty). */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** The last entry's hash ({@link AuditChain#GENESIS} when empty). */
    public synchronized String lastHash() {
        return lastHash;
    }

    /** Entries {@code fromSeq}..{@code toSeq} as stored, in order. */
    public List<AuditEntry> read(long fromSeq, long toSeq) {
        return db.transaction(c -> readRange(c, fromSeq, toSeq));
    }

    private void sendPending() {
        if (published >= lastSeq) {
            return;
        }
        List<AuditEntry> pending = read(published + 1, lastSeq);
        for (AuditEntry e : pending) {
            try {
                sink.publish(EVENT_TYPE, event(e));
            } catch (RuntimeException ex) {
                log.warn("audit entry {} not handed to the outbox yet: {}", e.seq(), ex.toString());
                return;
            }
            published = e.seq();
            try {
                db.setCounter(PUBLISHED_COUNTER, published); // so that a restart does not send it again
            } catch (RuntimeException ex) {
                log.warn("audit entry {} handed to the outbox but not marked sent: {}", e.seq(), ex.toString());
            }
        }
        if (published < lastSeq) { // the last entries are missing from the log: nothing left to send
            published = lastSeq;
            try {
                db.setCounter(PUBLISHED_COUNTER, published);
            } catch (RuntimeException ex) {
                log.warn("audit entries up to {} not marked sent: {}", published, ex.toString());
            }
        }
    }

    /** The data of the {@value #EVENT_TYPE} event for an entry. */
    public static ObjectNode event(AuditEntry e) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("seq", e.seq());
        d.put("at", e.at().toString());
        d.put("staffId", e.staffId());
        d.put("action", e.action());
        if (!e.subject().isEmpty()) {
            d.put("subject", e.subject());
        }
        d.set("detail", e.detail());
        d.put("prevHash", e.prevHash());
        d.put("hash", e.hash());
        return d;
    }

    private static void insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log(seq, at, staff_id, action, subject, detail, "
                + "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, e.seq());
            ps.setString(2, e.at().toString());
            ps.setString(3, e.staffId());
            ps.setString(4, e.action());
            ps.setString(5, e.subject());
            ps.setString(6, JSON.writeValueAsString(AuditChain.sorted(e.detail())));
            ps.setString(7, e.prevHash());
            ps.setString(8, e.hash());
            ps.executeUpdate();
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?) "
                + "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash")) {
            ps.setLong(1, e.seq());
            ps.setString(2, e.hash());
            ps.executeUpdate();
        }
    }

    static List<AuditEntry> readRange(Connection c, long fromSeq, long toSeq) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, at, staff_id, action, subject, detail, prev_hash, hash "
                + "FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq")) {
            ps.setLong(1, fromSeq);
            ps.setLong(2, toSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), (ObjectNode) JSON.readTree(rs.getString(6)),
                            rs.getString(7), rs.getString(8)));
                }
            } catch (JsonProcessingException ex) {
                throw new SQLException("audit detail is not JSON: " + ex.getOriginalMessage(), ex);
            }
        }
        return out;
    }

    @Override
    public void close() {
        // nothing held beyond the database, which its owner closes
    }
}
