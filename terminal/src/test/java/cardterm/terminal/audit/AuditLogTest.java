package cardterm.terminal.audit;


import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.cli.CardtermMain;
import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.store.Database;
import cardterm.terminal.testing.CliCapture;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log's hash chain on a real SQLite file: entries go to the hub as audit.entry events,
 * survive a reopen, and {@code cardterm audit verify} finds every edited, removed, reordered or
 * cut-off entry (exit 1, by seq) and passes an intact log (exit 0).
 */
class AuditLogTest {
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
                ObjectNode d = JsonNodeFactory.instance.objectNode();
                d.put("n", i);
                d.put("zeta", "last key");
                d.put("alpha", "first key");
                log.record("S10" + i, "command.issue", "R-" + i, d);
            }
        }
    }

    @Test
    void entriesAreChainedSentToTheHubAndCarryOnAfterAReopen() {
        assertThat(sent).hasSize(6).allSatisfy(e -> assertThat(e.type()).isEqualTo(AuditLog.EVENT_TYPE));
        assertThat(sent.get(0).data().get("prevHash").asText()).isEqualTo(AuditChain.GENESIS);
        for (int i = 1; i < 6; i++) {
            assertThat(sent.get(i).data().get("prevHash").asText()).isEqualTo(sent.get(i - 1).data().get("hash").asText());
            assertThat(sent.get(i).data().get("seq").asLong()).isEqualTo(i + 1);
        }
        try (Database db = Database.open(dir)) {
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            // a reopen sends nothing again (each restart used to send the last entry once more)
            assertThat(sent).hasSize(6);
            AuditEntry e = log.record("S2000", "issuance.job.accepted", "J-1", JsonNodeFactory.instance.objectNode());
            assertThat(e.seq()).isEqualTo(7);
            assertThat(e.prevHash()).isEqualTo(sent.get(5).data().get("hash").asText());
            assertThat(AuditChain.expectedHash(e)).isEqualTo(e.hash());
        }
        assertThat(verify().exit()).isZero();
        assertThat(verify().out()).contains("audit log intact: 7 entries, last seq 7");
    }

    @Test
    void anIntactLogVerifiesWithExitZero() {
        CliCapture r = verify();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("audit log intact: 6 entries, last seq 6, last hash "
                + sent.get(5).data().get("hash").asText());
    }

    @Test
    void anEditedEntryIsFoundByItsSeq() throws SQLException {
        sql("UPDATE audit_log SET staff_id = 'S999' WHERE seq = 3");
        CliCapture r = verify();
        assertThat(r.exit()).isEqualTo(CardtermMain.EXIT_FAILED);
        assertThat(r.err()).contains("entry 3 was edited").doesNotContain("entry 2 ").doesNotContain("entry 4 ");
    }

    @Test
    void anEditedDetailIsFoundEvenWithTheSameKeysInAnotherOrder() throws SQLException {
        sql("UPDATE audit_log SET detail = '{\"zeta\":\"last key\",\"n\":2,\"alpha\":\"first key\"}' WHERE seq = 2");
        assertThat(verify().exit()).isZero(); // same content, keys in another order: canonical form is the same
        sql("UPDATE audit_log SET detail = '{\"alpha\":\"first key\",\"n\":20,\"zeta\":\"last key\"}' WHERE seq = 2");
        CliCapture r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("entry 2 was edited");
    }

    @Test
    void aRemovedEntryIsFound() throws SQLException {
        sql("DELETE FROM audit_log WHERE seq = 4");
        CliCapture r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("entry 4 is missing (removed)");
    }

    @Test
    void aRemovedEntryWithTheSeqsRenumberedIsFound() throws SQLException {
        sql("DELETE FROM audit_log WHERE seq = 4");
        sql("UPDATE audit_log SET seq = seq - 1 WHERE seq > 4");
        sql("UPDATE audit_head SET seq = 5");
        CliCapture r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("entry 4 does not follow entry 3").contains("entry 4 was entry 5 (renumbered or moved)")
                .contains("entry 5 was entry 6 (renumbered or moved)");
    }

    @Test
    void reorderedEntriesAreFound() throws SQLException {
        sql("UPDATE audit_log SET seq = 100 WHERE seq = 2");
        sql("UPDATE audit_log SET seq = 2 WHERE seq = 3");
        sql("UPDATE audit_log SET seq = 3 WHERE seq = 100");
        CliCapture r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("entry 2 is out of order: it follows entry 3").contains("entry 2 was entry 3")
                .contains("entry 3 is out of order: it follows entry 1").contains("entry 3 was entry 2")
                .contains("entry 4 is out of order: it follows entry 2").doesNotContain("edited");
    }

    @Test
    void aCutOffTailIsFound() throws SQLException {
        sql("DELETE FROM audit_log WHERE seq >= 5");
        CliCapture r = verify();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("entries 5..6 are missing at the end (removed)");
    }

    @Test
    void verifyWithoutADatabaseIsBadInput() {
        CliCapture r = CliCapture.run("audit", "verify", "--data-dir", dir.resolve("nowhere").toString());
        assertThat(r.exit()).isEqualTo(CardtermMain.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("no terminal database");
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
