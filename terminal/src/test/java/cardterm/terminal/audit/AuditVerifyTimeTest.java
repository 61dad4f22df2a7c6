package cardterm.terminal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.health.HealthReason;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.store.Database;
import cardterm.terminal.testing.CliCapture;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the check of the whole audit log takes at start, for 100,000 entries of the size
 * issuance writes (a real SQLite file): the figure the README gives. The log is filled directly
 * (one transaction) and opened as the terminal opens it at every start; then {@code cardterm audit
 * verify} reads it too. Prints {@code audit.verify.100k.startMs=...} and {@code ...cliMs=...}.
 */
class AuditVerifyTimeTest {
    private static final int ENTRIES = 100_000;
    /**
     * CPU time of the opening thread (SQLite reads run on it too): wall time on two cores shared by
     * several builds swings tenfold with the load, CPU time does not. Measured: about 0.6 s.
     */
    private static final Duration START_CPU_BUDGET = Duration.ofSeconds(3);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void hundredThousandEntriesAreCheckedAtStartWithinTheBudget() throws Exception {
        fill();
        AtomicInteger sent = new AtomicInteger();
        EventSink sink = (type, data) -> {
            sent.incrementAndGet();
            return null;
        };
        // warm-up: the first open loads classes (Jackson, SHA-256) that a running terminal has loaded anyway
        long startNanos;
        long startMs;
        try (Database db = Database.open(dir)) {
            startNanos = System.nanoTime();
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            startMs = (System.nanoTime() - startNanos) / 1_000_000;
            assertThat(log.integrity().health().reason()).isEqualTo(HealthReason.OK);
            assertThat(log.lastSeq()).isEqualTo(ENTRIES);
        }
        long warmMs;
        long cpuMs;
        long verifyMs;
        try (Database db = Database.open(dir)) {
            long t0 = System.nanoTime();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            AuditLog log = AuditLog.open(db, sink, Clock.systemUTC());
            cpuMs = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
            warmMs = (System.nanoTime() - t0) / 1_000_000;
            verifyMs = log.integrity().report().orElseThrow().took().toMillis();
        }
        assertThat(sent).as("an intact log sends nothing at start").hasValue(0);
        long t0 = System.nanoTime();
        CliCapture r = CliCapture.run("audit", "verify", "--data-dir", dir.toString());
        long cliMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("audit log intact: 100000 entries");

        System.out.printf("audit.verify.100k.firstStartMs=%d audit.verify.100k.startMs=%d audit.verify.100k.startCpuMs=%d "
                + "audit.verify.100k.checkMs=%d audit.verify.100k.cliMs=%d load=%.1f%n", startMs, warmMs, cpuMs, verifyMs,
                cliMs, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        assertThat(Duration.ofMillis(cpuMs)).isLessThan(START_CPU_BUDGET);
    }

    /** 100,000 chained entries like issuance's (a job completed with its records), in one transaction. */
    private void fill() {
        try (Database db = Database.open(dir)) {
            db.migrate("audit", AuditLog.MIGRATIONS);
            db.transaction(c -> {
                String prev = AuditChain.GENESIS;
                Instant at = Instant.parse("2026-11-26T02:15:30.120Z");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log(seq, at, staff_id, action, subject, "
                        + "detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)")) {
                    for (long seq = 1; seq <= ENTRIES; seq++) {
                        ObjectNode d = JSON.createObjectNode();
                        d.put("totalMs", 40_000 + seq % 9_000).put("overrunMs", 0);
                        d.putArray("recordsWritten").add("EF05/5").add("EF05/6").add("EF05/7");
                        Instant when = at.plusSeconds(seq * 30);
                        String subject = "J-20261126-" + seq;
                        String hash = AuditChain.hash(prev, AuditChain.canonical(seq, when, "S1024",
                                "issuance.job.completed", subject, d));
                        ps.setLong(1, seq);
                        ps.setString(2, when.toString());
                        ps.setString(3, "S1024");
                        ps.setString(4, "issuance.job.completed");
                        ps.setString(5, subject);
                        ps.setString(6, JSON.writeValueAsString(AuditChain.sorted(d)));
                        ps.setString(7, prev);
                        ps.setString(8, hash);
                        ps.addBatch();
                        if (seq % 1000 == 0) {
                            ps.executeBatch();
                        }
                        prev = hash;
                    }
                    ps.executeBatch();
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?)")) {
                    ps.setLong(1, ENTRIES);
                    ps.setString(2, prev);
                    ps.executeUpdate();
                }
                Database.writeCounter(c, AuditVerifier.HIGH_WATER_COUNTER, ENTRIES);
                Database.writeCounter(c, AuditLog.PUBLISHED_COUNTER, ENTRIES);
                return null;
            });
        }
    }
}
