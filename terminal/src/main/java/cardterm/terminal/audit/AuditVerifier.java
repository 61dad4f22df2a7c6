package cardterm.terminal.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a stored audit log against its hash chain and finds every entry that was edited, removed,
 * inserted or moved, saying what and where (by seq). Reads only.
 */
public final class AuditVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far from its place a moved entry is looked for. */
    private static final long MOVE_SEARCH = 1000;

    /** What the check found: the number of entries, the last seq and hash, and every problem. */
    public record Report(long entries, long lastSeq, String lastHash, List<String> problems) {
        public Report {
            problems = List.copyOf(problems);
        }

        public boolean intact() {
            return problems.isEmpty();
        }
    }

    private record Row(long seq, String at, String staffId, String action, String subject, String detail, String prev,
            String hash) {}

    private AuditVerifier() {
    }

    /** Verifies the audit tables reachable through {@code c}. */
    public static Report verify(Connection c) throws SQLException {
        Objects.requireNonNull(c, "c");
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, at, staff_id, action, subject, detail, prev_hash, hash "
                + "FROM audit_log ORDER BY seq"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8)));
            }
        }
        Map<String, Long> seqByHash = new HashMap<>();
        for (Row r : rows) {
            if (r.hash() != null) {
                seqByHash.putIfAbsent(r.hash(), r.seq());
            }
        }
        List<String> problems = new ArrayList<>();
        long expectedSeq = 1;
        String prevHash = AuditChain.GENESIS;
        for (Row r : rows) {
            if (r.seq() > expectedSeq) {
                problems.add(r.seq() - expectedSeq == 1 ? "entry " + expectedSeq + " is missing (removed)"
                        : "entries " + expectedSeq + ".." + (r.seq() - 1) + " are missing (removed)");
            }
            Long linkedTo = r.prev() == null ? null : seqByHash.get(r.prev());
            if (!Objects.equals(r.prev(), prevHash)) {
                if (AuditChain.GENESIS.equals(r.prev()) && r.seq() != 1) {
                    problems.add("entry " + r.seq() + " claims to be the first entry: moved or inserted");
                } else if (linkedTo != null && linkedTo != r.seq() - 1) {
                    problems.add("entry " + r.seq() + " is out of order: it follows entry " + linkedTo);
                } else {
                    problems.add("entry " + r.seq() + " does not follow entry " + (r.seq() - 1)
                            + ": its previous hash is not that entry's hash (removed or inserted entries)");
                }
            }
            if (!matches(r, r.seq())) {
                long was = originalSeq(r);
                problems.add(was > 0 ? "entry " + r.seq() + " was entry " + was + " (renumbered or moved)"
                        : "entry " + r.seq() + " was edited: its hash does not match its content");
            }
            expectedSeq = r.seq() + 1;
            prevHash = r.hash();
        }
        long lastSeq = rows.isEmpty() ? 0 : rows.getLast().seq();
        String lastHash = rows.isEmpty() ? AuditChain.GENESIS : rows.getLast().hash();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                long headSeq = rs.getLong(1);
                String headHash = rs.getString(2);
                if (headSeq > lastSeq) {
                    problems.add(headSeq - lastSeq == 1 ? "entry " + headSeq + " is missing at the end (removed)"
                            : "entries " + (lastSeq + 1) + ".." + headSeq + " are missing at the end (removed)");
                } else if (headSeq < lastSeq) {
                    problems.add("entries " + (headSeq + 1) + ".." + lastSeq + " were added after the last recorded entry "
                            + headSeq);
                } else if (!Objects.equals(headHash, lastHash)) {
                    problems.add("entry " + lastSeq + " is not the last entry the terminal recorded (head hash differs)");
                }
            } else if (!rows.isEmpty()) {
                problems.add("the record of the last entry (audit_head) is missing");
            }
        }
        return new Report(rows.size(), lastSeq, lastHash, problems);
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

    /** Whether the row's stored hash is the hash of its content, taken as entry {@code seq}. */
    private static boolean matches(Row r, long seq) {
        if (r.prev() == null || r.hash() == null || r.at() == null || r.staffId() == null || r.action() == null
                || r.detail() == null) {
            return false;
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
