package cardterm.terminal.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.sim.SimulatedTerminal;
import cardterm.terminal.store.Database;
import cardterm.terminal.testing.CliCapture;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's attack on a whole terminal (the simulated one, in process) on a real mosquitto:
 * the audit log is truncated, an entry edited, or two entries reordered in the SQLite file while
 * the terminal is stopped; at the restart the hub's subscriber gets an {@code audit.integrity}
 * event naming the first bad seq (schema-valid), the retained health shows {@code audit}
 * DEGRADED/INTEGRITY_BROKEN, the next entry takes the seq after the old high-water mark, and
 * {@code cardterm audit verify} still fails naming the seq. No audit entry reaches the hub twice
 * as a new event over the restarts.
 */
class AuditTamperEndToEndTest {
    private static final String ROOT = "cardterm/v1/sim/sim-01/";

    enum Tamper {
        TRUNCATED(5, "truncated", "entries 5..6 are missing", "DELETE FROM audit_log WHERE seq >= 5"),
        EDITED(3, "edited", "entry 3 was edited", "UPDATE audit_log SET staff_id = 'S9999' WHERE seq = 3"),
        REORDERED(2, "reordered", "entry 2 is out of order", "UPDATE audit_log SET seq = 100 WHERE seq = 2",
                "UPDATE audit_log SET seq = 2 WHERE seq = 3", "UPDATE audit_log SET seq = 3 WHERE seq = 100");

        final long firstBad;
        final String problem;
        final String verifySays;
        final List<String> sql;

        Tamper(long firstBad, String problem, String verifySays, String... sql) {
            this.firstBad = firstBad;
            this.problem = problem;
            this.verifySays = verifySays;
            this.sql = List.of(sql);
        }
    }

    @TempDir
    Path work;

    private Mosquitto broker;
    private MqttRecorder hub;
    private SimulatedTerminal sim;

    @BeforeEach
    void startBroker() {
        broker = Mosquitto.startPlain();
        hub = MqttRecorder.start(broker.uri(), "cardterm/v1/#");
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        hub.close();
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(Tamper.class)
    void aTamperedLogIsReportedAtTheNextStartAndNeverWrittenOver(Tamper tamper) throws Exception {
        startTerminal();
        for (int i = 1; i <= 6; i++) {
            sim.terminal().audit().record("S100" + i, "assist.call.ack", "C-" + i, JsonNodeFactory.instance.objectNode());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> entrySeqsAtHub().size() == 6);
        assertThat(integrityEvents()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> lastHealth().at("/devices/audit/reason").asText().equals("OK"));
        stopTerminal();

        sql(tamper.sql);
        startTerminal();

        await().atMost(Duration.ofSeconds(10)).until(() -> !integrityEvents().isEmpty());
        MqttRecorder.Message m = integrityEvents().getFirst();
        assertThat(m.topic()).isEqualTo(ROOT + "event/audit");
        assertThat(ContractSchemas.validate(m.topic(), m.payload())).as(m.text()).isEmpty();
        JsonNode data = m.json().path("data");
        assertThat(data.path("firstBadSeq").asLong()).as(m.text()).isEqualTo(tamper.firstBad);
        assertThat(data.path("problem").asText()).as(m.text()).isEqualTo(tamper.problem);
        assertThat(data.path("highWaterSeq").asLong()).isEqualTo(6);

        await().atMost(Duration.ofSeconds(10)).until(() -> lastHealth().at("/devices/audit/reason").asText()
                .equals("INTEGRITY_BROKEN"));
        MqttRecorder.Message health = hub.on(ROOT + "health").getLast();
        assertThat(ContractSchemas.validate(health.topic(), health.payload())).as(health.text()).isEmpty();
        assertThat(health.json().at("/devices/audit/state").asText()).isEqualTo("DEGRADED");
        assertThat(health.json().at("/devices/audit/message").asText()).contains("seq " + tamper.firstBad);
        assertThat(health.json().path("status").asText()).isNotEqualTo("ONLINE");

        AuditEntry next = sim.terminal().audit().record("S2001", "assist.call.resolve", "C-7",
                JsonNodeFactory.instance.objectNode());
        assertThat(next.seq()).as("no seq is used twice").isEqualTo(7);
        await().atMost(Duration.ofSeconds(10)).until(() -> entrySeqsAtHub().contains(7L));
        stopTerminal();

        CliCapture r = CliCapture.run("audit", "verify", "--data-dir", work.resolve("data").toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.err()).contains(tamper.verifySays);

        // every audit entry reached the hub as one event only (a redelivery would carry the same id)
        Map<Long, Set<String>> idsBySeq = hub.messages(x -> x.topic().equals(ROOT + "event/audit")
                && x.json().path("type").asText().equals(AuditLog.EVENT_TYPE)).stream()
                .collect(Collectors.groupingBy(x -> x.json().at("/data/seq").asLong(),
                        Collectors.mapping(x -> x.json().path("id").asText(), Collectors.toSet())));
        assertThat(idsBySeq.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(idsBySeq).allSatisfy((seq, ids) -> assertThat(ids).as("entry %d", seq).hasSize(1));
        for (MqttRecorder.Message x : hub.messages(x -> x.topic().startsWith(ROOT))) {
            assertThat(ContractSchemas.validate(x.topic(), x.payload())).as(x.topic() + " " + x.text()).isEmpty();
        }
    }

    private void startTerminal() throws Exception {
        TerminalConfig config = TerminalConfig.forSimulation(work, broker.uri()); // its data directory: work/data
        sim = SimulatedTerminal.start(config, work, new PrintStream(OutputStream.nullOutputStream()), 0,
                Clock.system(config.terminal().timeZone()), "test");
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.terminal().hub().isConnected());
    }

    private void stopTerminal() {
        sim.close();
        sim = null;
    }

    private List<MqttRecorder.Message> integrityEvents() {
        return hub.messages(x -> x.topic().startsWith(ROOT + "event/")
                && x.json().path("type").asText().equals(AuditIntegrity.EVENT_TYPE));
    }

    private Set<Long> entrySeqsAtHub() {
        return hub.messages(x -> x.topic().equals(ROOT + "event/audit")
                && x.json().path("type").asText().equals(AuditLog.EVENT_TYPE)).stream()
                .map(x -> x.json().at("/data/seq").asLong()).collect(Collectors.toSet());
    }

    private JsonNode lastHealth() {
        List<MqttRecorder.Message> h = hub.on(ROOT + "health");
        return h.isEmpty() ? JsonNodeFactory.instance.objectNode() : h.getLast().json();
    }

    private void sql(List<String> statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("data").resolve(Database.FILE_NAME));
                Statement s = c.createStatement()) {
            for (String st : statements) {
                s.executeUpdate(st);
            }
        }
    }
}
