package cardterm.terminal.audit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a stored audit log against its hash chain and against the records of its head, and finds
 * every entry that was edited, removed, inserted or moved, and a log cut short, saying what and
 * where (by seq). Reads only; streams the log (memory does not grow with it).
 *
 * <p>The head is recorded three times, each only ever raised: the {@value #HIGH_WATER_COUNTER}
 * counter in the {@code counters} table and the {@code audit_head} row, both in the transaction
 * of each entry, and the {@link AuditHeadFile} beside the database, written after it. The highest
 * of them is the high-water mark: a log that ends below it was cut ({@code truncated}). Deleting
 * rows of {@code audit_log} lowers none of them.
 */
public final class AuditVerifier {
    /** The counter (table {@code counters}) holding the highest audit seq ever written. */
    public static final String HIGH_WATER_COUNTER = "audit.highwater";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far from its place a moved entry is looked for. */
    private static final long MOVE_SEARCH = 1000;
    /** For how many bad entries a moved original is looked for (each search hashes up to 2,000 times). */
    private static final int MOVE_SEARCHES = 50;

    /**
     * What the check found.
     *
     * @param entries entries stored
     * @param lastSeq the highest seq stored (0 when none)
     * @param lastHash that entry's stored hash ({@link AuditChain#GENESIS} when none)
     * @param highWaterSeq the highest seq ever written, by the head records or the entries stored:
     *     the next entry takes the seq after it
     * @param chainHash the hash the next entry chains onto: the terminal's own record of its last
     *     entry's hash where one survives, else {@code lastHash}
     * @param findings every problem, in the order found
     * @param took how long the check took
     */
    public record Report(long entries, long lastSeq, String lastHash, long highWaterSeq, String chainHash,
            List<AuditFinding> findings, Duration took) {
        public Report {
            findings = List.copyOf(findings);
        }

        public boolean intact() {
            return findings.isEmpty();
        }

        /** Every problem as a sentence, in the order found. */
        public List<String> problems() {
            return findings.stream().map(AuditFinding::message).toList();
        }

        /** The problem at the lowest seq (the first found among those at that seq). */
        public Optional<AuditFinding> firstBad() {
            return findings.stream().min(Comparator.comparingLong(AuditFinding::seq));
        }
    }

    private record Row(long seq, String at, String staffId, String action, String subject, String detail, String prev,
            String hash) {}

    /** A recorded head: where it is kept, and what it says. */
    private record Anchor(String where, long seq, String hash) {}

    private AuditVerifier() {
    }

    /**
     * Verifies the audit tables reachable through {@code c}, and the head file beside its database
     * file (found through {@code PRAGMA database_list}; none for an in-memory database).
     */
    public static Report verify(Connection c) throws SQLException {
        Objects.requireNonNull(c, "c");
        Path headFile = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT file FROM pragma_database_list WHERE name = 'main'");
                ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getString(1) != null && !rs.getString(1).isEmpty()) {
                headFile = AuditHeadFile.beside(Path.of(rs.getString(1)));
            }
        }
        return verify(c, headFile);
    }

    /** Verifies the audit tables reachable through {@code c} and the head file {@code headFile} (null: none). */
    public static Report verify(Connection c, Path headFile) throws SQLException {
        Objects.requireNonNull(c, "c");
        // a terminal may be writing meanwhile (audit verify beside a running service): the head
        // file first (it is written after each entry's commit, so it is never ahead of what the
        // database holds from then on), then every table in one read transaction (one snapshot:
        // an entry and its counter are committed together)
        AuditHeadFile.Read fileHead = headFile == null ? null : AuditHeadFile.read(headFile);
        boolean own = c.getAutoCommit();
        if (own) {
            c.setAutoCommit(false);
        }
        try {
            return verifyIn(c, headFile, fileHead);
        } finally {
            if (own) {
                c.commit();
                c.setAutoCommit(true);
            }
        }
    }

    private static Report verifyIn(Connection c, Path headFile, AuditHeadFile.Read fileHead) throws SQLException {
        long started = System.nanoTime();
        List<AuditFinding> findings = new ArrayList<>();
        List<Anchor> anchors = new ArrayList<>();
        long counter = readCounter(c);
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                anchors.add(new Anchor("audit_head", rs.getLong(1), rs.getString(2)));
            }
        }
        String garbled = null;
        if (fileHead != null) {
            switch (fileHead) {
                case AuditHeadFile.Found f -> anchors.add(new Anchor(AuditHeadFile.FILE_NAME, f.head().seq(), f.head().hash()));
                case AuditHeadFile.Garbled g -> garbled = "the head file " + headFile + " is " + g.why();
                case AuditHeadFile.Absent a -> { }
            }
        }
        Map<Long, String> hashAt = new HashMap<>(); // stored hash of the rows the anchors name
        for (Anchor a : anchors) {
            hashAt.put(a.seq(), null);
        }

        Map<String, Long> seqByHash = null; // built on the first broken link only
        int moveSearches = 0;
        long entries = 0;
        long expectedSeq = 1;
        long lastSeq = 0;
        String lastHash = AuditChain.GENESIS;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, at, staff_id, action, subject, detail, prev_hash, hash "
                + "FROM audit_log ORDER BY seq")) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8));
                    boolean gap = r.seq() > expectedSeq;
                    boolean genuine = matches(r, r.seq());
                    if (gap) {
                        findings.add(new AuditFinding(AuditFinding.Kind.MISSING, expectedSeq, r.seq() - expectedSeq == 1
                                ? "entry " + expectedSeq + " is missing (removed)"
                                : "entries " + expectedSeq + ".." + (r.seq() - 1) + " are missing (removed)"));
                    }
                    if (!Objects.equals(r.prev(), lastHash)) {
                        if (AuditChain.GENESIS.equals(r.prev()) && r.seq() != 1) {
                            findings.add(new AuditFinding(AuditFinding.Kind.REORDERED, r.seq(),
                                    "entry " + r.seq() + " claims to be the first entry: moved or inserted"));
                        } else {
                            if (seqByHash == null) {
                                seqByHash = seqByHash(c);
                            }
                            Long linkedTo = r.prev() == null ? null : seqByHash.get(r.prev());
                            if (linkedTo != null && linkedTo != r.seq() - 1 && !(gap && linkedTo == lastSeq)) {
                                findings.add(new AuditFinding(AuditFinding.Kind.REORDERED, r.seq(),
                                        "entry " + r.seq() + " is out of order: it follows entry " + linkedTo));
                            } else if (!gap && linkedTo == null && genuine) {
                                // entry r is as written, so the one before it is not: rewritten with a new hash
                                findings.add(new AuditFinding(AuditFinding.Kind.EDITED, r.seq() - 1, "entry " + (r.seq() - 1)
                                        + " was rewritten: entry " + r.seq() + " does not follow it (its previous hash is not"
                                        + " that entry's hash)"));
                            } else if (!gap) {
                                findings.add(new AuditFinding(AuditFinding.Kind.MISSING, r.seq(), "entry " + r.seq()
                                        + " does not follow entry " + (r.seq() - 1)
                                        + ": its previous hash is not that entry's hash (removed or inserted entries)"));
                            }
                            // after a gap an unknown previous hash is the missing entry's: the gap says it
                        }
                    }
                    if (!genuine) {
                        long was = moveSearches++ < MOVE_SEARCHES ? originalSeq(r) : 0;
                        findings.add(was > 0
                                ? new AuditFinding(AuditFinding.Kind.REORDERED, r.seq(),
                                        "entry " + r.seq() + " was entry " + was + " (renumbered or moved)")
                                : new AuditFinding(AuditFinding.Kind.EDITED, r.seq(),
                                        "entry " + r.seq() + " was edited: its hash does not match its content"));
                    }
                    if (hashAt.containsKey(r.seq())) {
                        hashAt.put(r.seq(), r.hash());
                    }
                    entries++;
                    expectedSeq = r.seq() + 1;
                    lastSeq = r.seq();
                    lastHash = r.hash();
                }
            }
        }

        long recorded = counter;
        for (Anchor a : anchors) {
            recorded = Math.max(recorded, a.seq());
        }
        if (recorded > lastSeq) {
            findings.add(new AuditFinding(AuditFinding.Kind.TRUNCATED, lastSeq + 1, recorded - lastSeq == 1
                    ? "entry " + recorded + " is missing at the end (removed): the terminal wrote up to entry " + recorded
                    : "entries " + (lastSeq + 1) + ".." + recorded + " are missing at the end (removed): the terminal "
                            + "wrote up to entry " + recorded));
        } else if (recorded > 0 && lastSeq > recorded) {
            findings.add(new AuditFinding(AuditFinding.Kind.INSERTED, recorded + 1, "entries " + (recorded + 1) + ".."
                    + lastSeq + " were added after the last entry the terminal recorded writing (" + recorded + ")"));
        } else if (recorded == 0 && entries > 0 && garbled == null) {
            findings.add(new AuditFinding(AuditFinding.Kind.ANCHOR, lastSeq + 1, "no record of the last entry is left "
                    + "(audit_head, the " + HIGH_WATER_COUNTER + " counter, " + AuditHeadFile.FILE_NAME
                    + "): entries after " + lastSeq + " may have been removed"));
        }
        for (Anchor a : anchors) {
            String stored = hashAt.get(a.seq());
            if (stored != null && !stored.equals(a.hash())) {
                findings.add(new AuditFinding(AuditFinding.Kind.EDITED, a.seq(), "entry " + a.seq()
                        + " is not the entry the terminal wrote: its hash differs from the one " + a.where() + " recorded"));
            }
        }
        if (garbled != null) {
            findings.add(new AuditFinding(AuditFinding.Kind.ANCHOR, Math.max(1, Math.max(lastSeq, recorded)), garbled));
        }

        long highWater = Math.max(recorded, lastSeq);
        String chainHash = lastHash;
        if (recorded > 0) {
            // the terminal's own record of the hash of its last entry, the head file's first
            anchors.sort(Comparator.comparing((Anchor a) -> !a.where().equals(AuditHeadFile.FILE_NAME)));
            for (Anchor a : anchors) {
                if (a.seq() == recorded) {
                    chainHash = a.hash();
                    break;
                }
            }
        }
        return new Report(entries, lastSeq, lastHash, highWater, chainHash, findings,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static long readCounter(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
            ps.setString(1, HIGH_WATER_COUNTER);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    private static Map<String, Long> seqByHash(Connection c) throws SQLException {
        Map<String, Long> m = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT hash, seq FROM audit_log ORDER BY seq");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(1) != null) {
                    m.putIfAbsent(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return m;
    }

    /** The canonical form of {@link AuditChain#canonical} built from the stored texts, the detail as it is. */
    private static String rawCanonical(Row r, long seq) {
        StringBuilder b = new StringBuilder(128 + r.detail().length());
        b.append("{\"action\":");
        quote(b, r.action());
        b.append(",\"at\":");
        quote(b, r.at());
        b.append(",\"detail\":").append(r.detail()).append(",\"seq\":").append(seq).append(",\"staffId\":");
        quote(b, r.staffId());
        b.append(",\"subject\":");
        quote(b, r.subject() == null ? "" : r.subject());
        return b.append('}').toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        b.append('"');
    }

    /** The seq under which the row's content was hashed, searched near its place; 0 if none (edited). */
    private static long originalSeq(Row r) {
        for (long d = 1; d <= MOVE_SEARCH; d++) {
            if (matches(r, r.seq() + d)) {
                return r.seq() + d;
            }
            if (r.seq() - d >= 1 && matches(r, r.seq() - d)) {
                return r.seq() - d;
            }
        }
        return 0;
    }

    /**
     * Whether the row's stored hash is the hash of its content, taken as entry {@code seq}.
     *
     * <p>Fast path first: the canonical text built from the stored texts as they are (the detail
     * as stored, which the log writes in canonical form), without parsing. A match there proves
     * the content: every field but the detail is a quoted JSON string, which no content can end
     * early, so the only text that yields the original canonical text is the original fields, the
     * detail included. Only a row that fails it (an edited one, or one stored in another but
     * equal form, such as other key order) is parsed and canonicalised.
     */
    private static boolean matches(Row r, long seq) {
        if (r.prev() == null || r.hash() == null || r.at() == null || r.staffId() == null || r.action() == null
                || r.detail() == null) {
            return false;
        }
        if (AuditChain.hash(r.prev(), rawCanonical(r, seq)).equals(r.hash())) {
            return true;
        }
        try {
            JsonNode detail = JSON.readTree(r.detail());
            String canonical = AuditChain.canonical(seq, Instant.parse(r.at()), r.staffId(), r.action(),
                    r.subject() == null ? "" : r.subject(), detail);
            return AuditChain.hash(r.prev(), canonical).equals(r.hash());
        } catch (Exception e) {
            return false;
        }
    }
}
