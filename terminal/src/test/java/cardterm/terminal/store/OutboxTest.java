package cardterm.terminal.store;

import cardterm.terminal.event.UuidV7;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventKind;
import cardterm.terminal.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final TestClock clock = TestClock.shanghai();
    Database db;
    Outbox outbox;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        outbox = Outbox.open(db, OutboxSettings.of("wz-lucheng-01", "t-0042"), clock);
    }

    @AfterEach
    void close() {
        outbox.close();
        db.close();
    }

    static ObjectNode data(String key, Object value) {
        ObjectNode n = JSON.createObjectNode();
        n.set(key, JSON.valueToTree(value));
        return n;
    }

    @Test
    void publishReturnsTheEnvelopeAsStoredInContractShape() throws Exception {
        EventEnvelope e = outbox.publish("assist.call.raised", data("callId", "C-1"));

        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.terminal()).isEqualTo("t-0042");
        assertThat(e.site()).isEqualTo("wz-lucheng-01");
        assertThat(e.ts()).isEqualTo(OffsetDateTime.parse("2026-11-26T10:15:30.000+08:00"));
        assertThat(e.ts().getOffset()).isEqualTo(ZoneOffset.ofHours(8));
        assertThat(UUID.fromString(e.id()).version()).isEqualTo(7);
        assertThat(e.kind()).isEqualTo(EventKind.ASSIST);

        List<OutboxEntry> stored = outbox.read(EventKind.ASSIST, 0, 10).entries();
        assertThat(stored).hasSize(1);
        String json = stored.get(0).json();
        assertThat(json).startsWith("{\"id\":\"" + e.id() + "\",\"seq\":1,\"ts\":\"2026-11-26T10:15:30.000+08:00\","
                + "\"type\":\"assist.call.raised\",\"terminal\":\"t-0042\",\"site\":\"wz-lucheng-01\",\"data\":");
        JsonNode node = JSON.readTree(json);
        assertThat(node.get("data")).isEqualTo(data("callId", "C-1"));
        assertThat(stored.get(0).seq()).isEqualTo(1);
    }

    @Test
    void seqIsGapFreeAndNeverRepeatsAcrossRestartsEvenWhenEverythingWasDelivered() {
        for (int i = 1; i <= 5; i++) {
            assertThat(outbox.publish("device.status", data("n", i)).seq()).isEqualTo(i);
        }
        List<OutboxEntry> all = outbox.read(EventKind.DEVICE, 0, 100).entries();
        outbox.acknowledgeThrough(EventKind.DEVICE, all.get(all.size() - 1).seq());
        await().until(() -> outbox.size() == 0);
        outbox.close();
        db.close();

        db = Database.open(dir);
        outbox = Outbox.open(db, OutboxSettings.of("wz-lucheng-01", "t-0042"), clock);
        assertThat(outbox.publish("device.status", data("n", 6)).seq()).isEqualTo(6);
        assertThat(outbox.lastSeq()).isEqualTo(6);
    }

    @Test
    void concurrentPublishersGetEverySeqExactlyOnce() throws Exception {
        int threads = 16;
        int each = 400;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String type = List.of("assist.call.raised", "issuance.step", "device.status", "audit.x").get(t % 4);
            futures.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    seqs.add(outbox.publish(type, data("i", i)).seq());
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        TreeSet<Long> unique = new TreeSet<>(seqs);
        assertThat(seqs).hasSize(threads * each);
        assertThat(unique).hasSize(threads * each);
        assertThat(unique.first()).isEqualTo(1);
        assertThat(unique.last()).isEqualTo(threads * each);
        assertThat(outbox.size()).isEqualTo(threads * each);
        assertThat(outbox.backlog().byKind()).containsEntry(EventKind.AUDIT, (long) 4 * each);
    }

    @Test
    void readPagesByKindInSeqOrderAndLeavesOutAcknowledged() {
        for (int i = 0; i < 10; i++) {
            outbox.publish(i % 2 == 0 ? "issuance.step" : "audit.command.refused", data("i", i));
        }
        List<OutboxEntry> page1 = outbox.read(EventKind.ISSUANCE, 0, 3).entries();
        assertThat(page1).extracting(OutboxEntry::seq).containsExactly(1L, 3L, 5L);
        List<OutboxEntry> page2 = outbox.read(EventKind.ISSUANCE, 5, 3).entries();
        assertThat(page2).extracting(OutboxEntry::seq).containsExactly(7L, 9L);
        assertThat(outbox.read(EventKind.ASSIST, 0, 3).entries()).isEmpty();
        // a byte budget cuts a page short (one event at least), and the page says more may wait
        OutboxPage small = outbox.read(EventKind.ISSUANCE, 0, 10, 1);
        assertThat(small.entries()).extracting(OutboxEntry::seq).containsExactly(1L);
        assertThat(small.exhausted()).isFalse();
        assertThat(small.lastScanned()).isEqualTo(1);
        assertThat(outbox.read(EventKind.ISSUANCE, 0, 10).exhausted()).isTrue();
        assertThat(outbox.lastSeq(EventKind.AUDIT)).isEqualTo(10);

        outbox.acknowledgeThrough(EventKind.ISSUANCE, page1.get(0).seq());
        // left out at once, before the writer committed the mark
        assertThat(outbox.read(EventKind.ISSUANCE, 0, 10).entries()).extracting(OutboxEntry::seq).containsExactly(3L, 5L, 7L, 9L);
        await().until(() -> outbox.size() == 9);
        assertThat(outbox.backlog().byKind()).containsEntry(EventKind.ISSUANCE, 4L).containsEntry(EventKind.AUDIT, 5L);
    }

    /** Rows of {@code kind} on disk, spent or waiting. */
    long rowsOnDisk(EventKind kind) {
        return db.transaction(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM " + Outbox.table(kind)); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void theAcknowledgedMarkIsKeptAcrossRestartsAndSpentRowsAreDeletedOnceIdle() {
        for (int i = 0; i < 10; i++) {
            outbox.publish("device.status", data("i", i)); // seq 1..10
        }
        outbox.publish("audit.x", data("i", 0)); // seq 11
        outbox.acknowledgeThrough(EventKind.DEVICE, 6);
        outbox.acknowledgeThrough(EventKind.DEVICE, 4); // a mark never moves back
        assertThat(outbox.read(EventKind.DEVICE, 0, 100).entries()).extracting(OutboxEntry::seq)
                .containsExactly(7L, 8L, 9L, 10L);
        await().until(() -> outbox.size() == 5);
        assertThat(outbox.backlog().byKind()).containsEntry(EventKind.DEVICE, 4L).containsEntry(EventKind.AUDIT, 1L);
        await().until(() -> rowsOnDisk(EventKind.DEVICE) == 4); // the spent six deleted when idle
        assertThat(rowsOnDisk(EventKind.AUDIT)).isEqualTo(1);

        // power lost after a mark was committed but before its rows were deleted: the rows under
        // it stay done with after the restart, and go
        outbox.close();
        db.transaction(c -> {
            Database.writeCounter(c, OutboxWriter.ackedCounter(EventKind.DEVICE), 8);
            return null;
        });
        outbox = Outbox.open(db, OutboxSettings.of("wz-lucheng-01", "t-0042"), clock);
        assertThat(outbox.size()).isEqualTo(3);
        assertThat(outbox.backlog().byKind()).containsEntry(EventKind.DEVICE, 2L);
        assertThat(outbox.read(EventKind.DEVICE, 0, 100).entries()).extracting(OutboxEntry::seq)
                .containsExactly(9L, 10L);
        assertThat(outbox.backlog().oldest()).isPresent();
        await().until(() -> rowsOnDisk(EventKind.DEVICE) == 2);
        assertThat(outbox.publish("device.status", data("i", 11)).seq()).isEqualTo(12);
    }

    @Test
    void overflowDropsOnlyEventsNotYetAcknowledged() throws Exception {
        outbox.close();
        outbox = Outbox.open(db, OutboxSettings.of("wz-lucheng-01", "t-0042").withMaxEntries(10), clock);
        for (int i = 0; i < 10; i++) {
            outbox.publish("audit.x", data("i", i)); // seq 1..10
        }
        outbox.acknowledgeThrough(EventKind.AUDIT, 4);
        await().until(() -> outbox.size() == 6);
        for (int i = 0; i < 4; i++) {
            outbox.publish("device.status", data("i", i)); // seq 11..14: full now
        }
        // seq 15: the oldest waiting audits (5, 6) make room for it and the overflow event (16),
        // not the spent ones under the mark
        outbox.publish("device.status", data("i", 4));
        assertThat(outbox.size()).isEqualTo(10);
        assertThat(outbox.read(EventKind.AUDIT, 0, 100).entries()).extracting(OutboxEntry::seq)
                .containsExactly(7L, 8L, 9L, 10L);
        List<OutboxEntry> device = outbox.read(EventKind.DEVICE, 0, 100).entries();
        assertThat(device).extracting(OutboxEntry::seq).containsExactly(11L, 12L, 13L, 14L, 15L, 16L);
        assertThat(JSON.readTree(device.get(5).payload()).at("/data/dropped/audit").asLong()).isEqualTo(2);
        assertThat(outbox.droppedSinceOpen()).isEqualTo(2);
    }

    @Test
    void overflowDropsTheOldestOfTheLowestPriorityAndSaysSo() throws Exception {
        outbox.close();
        outbox = Outbox.open(db, OutboxSettings.of("wz-lucheng-01", "t-0042").withMaxEntries(10), clock);
        for (int i = 0; i < 6; i++) {
            outbox.publish("audit.x", data("i", i)); // seq 1..6
        }
        for (int i = 0; i < 3; i++) {
            outbox.publish("assist.call.raised", data("i", i)); // seq 7..9
        }
        outbox.publish("device.status", data("i", 0)); // seq 10: full now
        assertThat(outbox.size()).isEqualTo(10);

        outbox.publish("issuance.step", data("i", 0)); // seq 11: two audits go (11 + overflow event)
        assertThat(outbox.size()).isEqualTo(10);
        assertThat(outbox.read(EventKind.AUDIT, 0, 100).entries()).extracting(OutboxEntry::seq).containsExactly(3L, 4L, 5L, 6L);
        List<OutboxEntry> device = outbox.read(EventKind.DEVICE, 0, 100).entries();
        assertThat(device).extracting(OutboxEntry::seq).containsExactly(10L, 12L);
        JsonNode overflow = JSON.readTree(device.get(1).payload());
        assertThat(overflow.get("type").asText()).isEqualTo("outbox.overflow");
        assertThat(overflow.get("seq").asLong()).isEqualTo(12);
        assertThat(overflow.at("/data/dropped/audit").asLong()).isEqualTo(2);
        assertThat(overflow.at("/data/dropped").size()).isEqualTo(1);
        assertThat(outbox.droppedSinceOpen()).isEqualTo(2);

        // more than the audits left: the audits go, then the oldest devices
        for (int i = 0; i < 5; i++) {
            outbox.publish("assist.call.raised", data("i", i));
        }
        assertThat(outbox.size()).isEqualTo(10);
        assertThat(outbox.read(EventKind.ASSIST, 0, 100).entries()).hasSize(8);
        assertThat(outbox.read(EventKind.ISSUANCE, 0, 100).entries()).hasSize(1);
        assertThat(outbox.read(EventKind.AUDIT, 0, 100).entries()).isEmpty();
        // each assist (13, 15, 17, 19, 21) made room by dropping two, then an overflow event
        // (14, 16, 18, 20, 22): audits 3..6 first, then the older device events
        assertThat(outbox.lastSeq()).isEqualTo(22);
        List<OutboxEntry> left = outbox.read(EventKind.DEVICE, 0, 100).entries();
        assertThat(left).extracting(OutboxEntry::seq).containsExactly(22L);
        assertThat(JSON.readTree(left.get(0).payload()).at("/data/dropped/device").asLong()).isEqualTo(2);
        assertThat(outbox.droppedSinceOpen()).isEqualTo(12);
    }

    @Test
    void backlogCountsAndAgesTheOldestEvent() {
        assertThat(outbox.backlog().count()).isZero();
        assertThat(outbox.backlog().oldest()).isEmpty();
        assertThat(outbox.backlog().oldestAge()).isEqualTo(Duration.ZERO);

        outbox.publish("audit.x", data("i", 1));
        clock.advance(Duration.ofSeconds(20));
        outbox.publish("assist.call.raised", data("i", 2));
        clock.advance(Duration.ofSeconds(10));

        Backlog b = outbox.backlog();
        assertThat(b.count()).isEqualTo(2);
        assertThat(b.oldestAge()).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.byKind()).containsEntry(EventKind.AUDIT, 1L).containsEntry(EventKind.ASSIST, 1L)
                .containsEntry(EventKind.DEVICE, 0L);
    }

    @Test
    void refusesUnknownTypesAndPublishingWhenClosed() {
        assertThatThrownBy(() -> outbox.publish("weather.report", data("x", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        outbox.close();
        assertThatThrownBy(() -> outbox.publish("device.status", data("x", 1)))
                .isInstanceOf(OutboxException.class).hasMessageContaining("closed");
    }

    @Test
    void commitListenersHearOfCommits() {
        List<Long> heard = new ArrayList<>();
        outbox.addCommitListener(() -> heard.add(outbox.lastSeq()));
        outbox.publish("device.status", data("x", 1));
        await().until(() -> heard.contains(1L));
    }

    @Test
    void uuidsAreVersion7AndSortByTime() {
        UuidV7 gen = new UuidV7(clock);
        Set<UUID> seen = new TreeSet<>();
        UUID previous = null;
        for (int i = 0; i < 1000; i++) {
            UUID u = gen.next();
            assertThat(u.version()).isEqualTo(7);
            assertThat(u.variant()).isEqualTo(2);
            assertThat(u.getMostSignificantBits() >>> 16).isEqualTo(clock.millis());
            if (previous != null) {
                assertThat(Long.compareUnsigned(u.getMostSignificantBits() >>> 16,
                        previous.getMostSignificantBits() >>> 16)).isGreaterThanOrEqualTo(0);
            }
            previous = u;
            seen.add(u);
            clock.advance(Duration.ofMillis(i % 2));
        }
        assertThat(seen).hasSize(1000);
        Iterator<UUID> it = seen.iterator();
        assertThat(it.next()).isNotNull();
    }
}
