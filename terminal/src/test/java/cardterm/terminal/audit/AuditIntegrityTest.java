package cardterm.terminal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.store.Database;
import cardterm.terminal.testing.CliCapture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log checked at every open, on a real SQLite file: a log cut short, edited or
 * reordered is found at the next open (an {@code audit.integrity} event naming the first bad seq,
 * the {@code audit} part DEGRADED/INTEGRITY_BROKEN), is never written over (new entries take the
 * seqs after the highest ever written, and {@code cardterm audit verify} keeps failing), and no
 * entry is sent twice.
 */
class AuditIntegrityTest {
    @TempDir
    Path dir;

    private final List<EventEnvelope> sent = new CopyOnWriteArrayList<>();
    private final EventSink sink = (type, data) -> {
        EventEnvelope e = new EventEnvelope(UUID.randomUUID().toString(), sent.size() + 1,
                OffsetDateTime.now(ZoneOffset.UTC), type, "t-1", "s-1", data);
        sent.add(e);
        return e;
    };

    @BeforeEach
    void fill() {
        try (Database db = Database.open(dir)) {
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            for (int i = 1; i <= 6; i++) {
                log.record("S100" + i, "command.issue", "R-" + i, JsonNodeFactory.instance.objectNode().put("n", i));
            }
        }
        assertThat(entriesSent()).hasSize(6);
    }

    @Test
    void anIntactLogOpensOnlineAndSendsNothing() {
        try (Database db = Database.open(dir)) {
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            assertThat(log.integrity().health().reason()).isEqualTo(HealthReason.OK);
            assertThat(log.integrity().deviceId()).isEqualTo("audit");
            assertThat(log.integrity().report().orElseThrow().entries()).isEqualTo(6);
        }
        assertThat(sent).hasSize(6);
    }

    @Test
    void theIssuesCaseATruncatedLogIsFoundAtTheNextStartAndStaysBroken() throws Exception {
        sql("DELETE FROM audit_log WHERE seq >= 5");
        String hash6 = entriesSent().get(5).data().get("hash").asText();
        try (Database db = Database.open(dir)) {
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            JsonNode ev = integrityEvents().getLast().data();
            assertThat(ev.get("firstBadSeq").asLong()).isEqualTo(5);
            assertThat(ev.get("problem").asText()).isEqualTo("truncated");
            assertThat(ev.get("highWaterSeq").asLong()).isEqualTo(6);
            assertThat(ev.get("nextSeq").asLong()).isEqualTo(7);
            assertThat(ev.get("headHash").asText()).isEqualTo(hash6);
            assertThat(log.integrity().health().state()).isEqualTo(DeviceState.DEGRADED);
            assertThat(log.integrity().health().reason()).isEqualTo(HealthReason.INTEGRITY_BROKEN);
            assertThat(log.integrity().health().message()).contains("seq 5 (truncated)");

            AuditEntry next = log.record("S2000", "command.cancel", "R-7", JsonNodeFactory.instance.objectNode());
            assertThat(next.seq()).as("seqs 5 and 6 are never used again").isEqualTo(7);
            assertThat(next.prevHash()).as("chained onto the entry the terminal wrote last").isEqualTo(hash6);
        }
        CliCapture r = verify();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.err()).contains("entries 5..6 are missing (removed)");

        try (Database db = Database.open(dir)) { // and again: the break is not healed by the entry written after it
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            assertThat(log.integrity().health().reason()).isEqualTo(HealthReason.INTEGRITY_BROKEN);
            assertThat(integrityEvents()).hasSize(2);
            assertThat(integrityEvents().getLast().data().get("firstBadSeq").asLong()).isEqualTo(5);
            assertThat(integrityEvents().getLast().data().get("problem").asText()).isEqualTo("missing");
            assertThat(log.record("S2000", "command.cancel", "R-8", JsonNodeFactory.instance.objectNode()).seq()).isEqualTo(8);
        }
        assertThat(seqsSent()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void aTruncationHiddenInTheDatabaseIsFoundByTheHeadFileBesideIt() throws Exception {
        String hash4 = entriesSent().get(3).data().get("hash").asText();
        sql("DELETE FROM audit_log WHERE seq >= 5");
        sql("UPDATE audit_head SET seq = 4, hash = '" + hash4 + "'");
        sql("DELETE FROM counters WHERE name = 'audit.highwater'");
        assertOpensBroken(5, "truncated");
        assertThat(verify().err()).contains("entries 5..6 are missing");
    }

    @Test
    void aDatabaseDeletedOrPutBackFromAnOlderCopyIsFoundByTheHeadFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(Database.FILE_NAME)).toList()) {
                Files.delete(f);
            }
        }
        try (Database db = Database.open(dir)) {
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            assertThat(integrityEvents().getLast().data().get("firstBadSeq").asLong()).isEqualTo(1);
            assertThat(integrityEvents().getLast().data().get("problem").asText()).isEqualTo("truncated");
            assertThat(log.record("S2000", "command.cancel", "R-7", JsonNodeFactory.instance.objectNode()).seq()).isEqualTo(7);
        }
    }

    @Test
    void anEditedEntryIsFoundAtTheNextStart() throws Exception {
        sql("UPDATE audit_log SET staff_id = 'S9999' WHERE seq = 3");
        assertOpensBroken(3, "edited");
        CliCapture r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("entry 3 was edited");
    }

    @Test
    void reorderedEntriesAreFoundAtTheNextStart() throws Exception {
        sql("UPDATE audit_log SET seq = 100 WHERE seq = 2");
        sql("UPDATE audit_log SET seq = 2 WHERE seq = 3");
        sql("UPDATE audit_log SET seq = 3 WHERE seq = 100");
        assertOpensBroken(2, "reordered");
        CliCapture r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("entry 2 is out of order: it follows entry 3");
    }

    @Test
    void aLastEntryRewrittenWithAValidChainDiffersFromTheRecordedHead() throws Exception {
        // recompute entry 6 with other content: its own hash matches, but not the head the terminal recorded
        AuditEntry six;
        try (Database db = Database.open(dir)) {
            six = db.transaction(c -> AuditLog.readRange(c, 6, 6)).getFirst();
        }
        String forged = AuditChain.hash(six.prevHash(), AuditChain.canonical(6, six.at(), "S6666", six.action(),
                six.subject(), six.detail()));
        sql("UPDATE audit_log SET staff_id = 'S6666', hash = '" + forged + "' WHERE seq = 6");
        sql("UPDATE audit_head SET hash = '" + forged + "'");
        assertOpensBroken(6, "edited");
        assertThat(verify().err()).as("after entry 7 was written on top").contains("entry 6 was rewritten");
    }

    @Test
    void aLogFromBeforeTheHighWaterMarkOpensIntactAndGetsOne() throws Exception {
        sql("DELETE FROM counters WHERE name = 'audit.highwater'");
        Files.delete(dir.resolve(AuditHeadFile.FILE_NAME));
        try (Database db = Database.open(dir)) {
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            assertThat(log.integrity().health().reason()).isEqualTo(HealthReason.OK);
            assertThat(db.counter(AuditVerifier.HIGH_WATER_COUNTER)).isEqualTo(6);
        }
        assertThat(AuditHeadFile.read(dir.resolve(AuditHeadFile.FILE_NAME)))
                .isEqualTo(new AuditHeadFile.Found(new AuditHeadFile.Head(6, entriesSent().get(5).data().get("hash").asText())));
        assertThat(integrityEvents()).isEmpty();
    }

    @Test
    void noEntryIsSentTwiceAcrossRestarts() {
        for (int restart = 0; restart < 3; restart++) {
            try (Database db = Database.open(dir)) {
                AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
                log.record("S2000", "command.cancel", "R-x" + restart, JsonNodeFactory.instance.objectNode());
            }
        }
        Map<Long, Long> timesSent = entriesSent().stream()
                .collect(Collectors.groupingBy(e -> e.data().get("seq").asLong(), Collectors.counting()));
        assertThat(timesSent).hasSize(9).allSatisfy((seq, n) -> assertThat(n).as("entry %d", seq).isEqualTo(1));
    }

    private void assertOpensBroken(long firstBad, String problem) {
        try (Database db = Database.open(dir)) {
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            assertThat(integrityEvents()).hasSize(1);
            JsonNode ev = integrityEvents().getFirst().data();
            assertThat(ev.get("firstBadSeq").asLong()).as(ev.toString()).isEqualTo(firstBad);
            assertThat(ev.get("problem").asText()).as(ev.toString()).isEqualTo(problem);
            assertThat(log.integrity().health().reason()).isEqualTo(HealthReason.INTEGRITY_BROKEN);
            AuditEntry next = log.record("S2000", "command.cancel", "R-7", JsonNodeFactory.instance.objectNode());
            assertThat(next.seq()).isEqualTo(7);
        }
        CliCapture r = verify();
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
    }

    private List<EventEnvelope> entriesSent() {
        return sent.stream().filter(e -> e.type().equals(AuditLog.EVENT_TYPE)).toList();
    }

    private List<Long> seqsSent() {
        return entriesSent().stream().map(e -> e.data().get("seq").asLong()).toList();
    }

    private List<EventEnvelope> integrityEvents() {
        return sent.stream().filter(e -> e.type().equals(AuditIntegrity.EVENT_TYPE)).toList();
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME));
                Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    private CliCapture verify() {
        return CliCapture.run("audit", "verify", "--data-dir", dir.toString());
    }
}
