package cardterm.terminal.store;

import cardterm.terminal.event.EventEncoder;
import cardterm.terminal.event.EventKind;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the outbox's tables: it commits what all publishers hand it in one
 * transaction (group commit), so many concurrent publishers share each disk sync, gives each
 * event its {@code seq} inside that transaction, deletes what the broker acknowledged, and drops
 * the oldest of the lowest priority beyond {@link OutboxSettings#maxEntries()}. What it has
 * committed is published as an immutable {@link Snapshot}.
 */
final class OutboxWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(OutboxWriter.class);
    private static final int MAX_BATCH = 4096;
    private static final long ACK_LINGER_MS = 5;
    private static final EventKind[] KINDS = EventKind.values();
    private static final Object WAKE = new Object();
    private static final Object STOP = new Object();

    /** Counts and last seqs as of the last commit; replaced whole, never changed. */
    record Snapshot(long count, long[] byKind, long[] lastSeqByKind, long lastSeq, long dropped) {}

    /** An event handed in, with the future its publisher waits on. */
    record Append(EventEncoder.Encoded event, CompletableFuture<Long> done) {}

    private record Ack(long seq, EventKind kind) {}

    private final OutboxSettings settings;
    private final EventEncoder encoder;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Set<Long> pendingAcks = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
    private final java.util.function.IntConsumer releasedCount;
    private volatile Snapshot snapshot;

    private final Connection c;
    private long lastSeq;
    private long count;
    private final long[] byKind = new long[KINDS.length];
    private final long[] lastSeqByKind = new long[KINDS.length];
    private long dropped;
    private boolean syncFull = true;

    /** @param released told of each batch taken from the queue ({@code n} appends), to free room */
    OutboxWriter(Connection c, OutboxSettings settings, EventEncoder encoder, java.util.function.IntConsumer released) {
        this.c = c;
        this.settings = settings;
        this.encoder = encoder;
        this.releasedCount = released;
    }

    /** Hands an event to the writer. */
    void submit(Append append) {
        queue.add(append);
    }

    /** Asks the writer to commit what it has and stop. */
    void stop() {
        queue.add(STOP);
    }

    /** Notes an acknowledged event for deletion; false if it was noted already. */
    boolean acknowledge(long seq, EventKind kind) {
        if (pendingAcks.add(seq)) {
            acks.add(new Ack(seq, kind));
            wakeWriter();
            return true;
        }
        return false;
    }

    boolean isAcknowledged(long seq) {
        return pendingAcks.contains(seq);
    }

    int pendingAcknowledgements() {
        return pendingAcks.size();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    void addCommitListener(Runnable listener) {
        commitListeners.add(listener);
    }

    void removeCommitListener(Runnable listener) {
        commitListeners.remove(listener);
    }

    private void wakeWriter() {
        if (wakePending.compareAndSet(false, true)) {
            queue.add(WAKE);
        }
    }

    void load() throws SQLException {
        long counter = Database.readCounter(c, Outbox.SEQ_COUNTER);
        long maxStored = 0;
        for (EventKind kind : KINDS) {
            int k = kind.ordinal();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM " + Outbox.table(kind));
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                byKind[k] = rs.getLong(1);
                lastSeqByKind[k] = rs.getLong(2);
                count += byKind[k];
                maxStored = Math.max(maxStored, lastSeqByKind[k]);
            }
        }
        // the counter and the rows are committed together; the max is a guard, never needed
        lastSeq = Math.max(counter, maxStored);
        publishSnapshot();
        log.info("outbox opened: {} events waiting, last seq {}", count, lastSeq);
    }

    private void publishSnapshot() {
        snapshot = new Snapshot(count, byKind.clone(), lastSeqByKind.clone(), lastSeq, dropped);
    }

    @Override
    public void run() {
        List<Object> batch = new ArrayList<>(MAX_BATCH);
        List<Append> appends = new ArrayList<>(MAX_BATCH);
        List<Ack> ackBatch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            batch.clear();
            appends.clear();
            ackBatch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // only close() stops the writer; keep going so no publisher is left waiting
                continue;
            }
            if (batch.get(0) == WAKE && queue.isEmpty()) {
                // only acknowledgements so far: let a few more gather, so the deletes of a
                // steady drain go in a few commits a second rather than one per PUBACK; an
                // event handed in meanwhile ends the wait at once
                try {
                    Object next = queue.poll(ACK_LINGER_MS, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                } catch (InterruptedException e) {
                    // go on with what there is
                }
            }
            queue.drainTo(batch, MAX_BATCH - batch.size());
            for (Object o : batch) {
                if (o == STOP) {
                    stop = true;
                } else if (o == WAKE) {
                    wakePending.set(false);
                } else {
                    appends.add((Append) o);
                }
            }
            releasedCount.accept(appends.size());
            if (stop) {
                // closing: everything handed in before close() is in the queue now
                List<Object> rest = new ArrayList<>();
                queue.drainTo(rest);
                for (Object o : rest) {
                    if (o instanceof Append a) {
                        appends.add(a);
                    }
                }
            }
            Ack ack;
            while ((ack = acks.poll()) != null) {
                ackBatch.add(ack);
            }
            if (!appends.isEmpty() || !ackBatch.isEmpty()) {
                commit(appends, ackBatch);
            }
        }
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing the outbox writer connection failed", e);
        }
    }

    private void commit(List<Append> appends, List<Ack> ackBatch) {
        long seqBefore = lastSeq;
        long countBefore = count;
        long[] byKindBefore = byKind.clone();
        long[] lastByKindBefore = lastSeqByKind.clone();
        long droppedBefore = dropped;
        long[] seqs = new long[appends.size()];
        try {
            // a commit that only deletes acknowledged events need not wait for the disk: if
            // it is lost, they go again (at least once); the next commit of events syncs it too
            syncFull(!appends.isEmpty());
            Database.inTransaction(c, conn -> {
                deleteAcknowledged(ackBatch);
                insertAll(appends, seqs);
                if (count > settings.maxEntries()) {
                    overflow();
                }
                if (lastSeq != seqBefore) {
                    Database.writeCounter(conn, Outbox.SEQ_COUNTER, lastSeq);
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            lastSeq = seqBefore;
            count = countBefore;
            System.arraycopy(byKindBefore, 0, byKind, 0, byKind.length);
            System.arraycopy(lastByKindBefore, 0, lastSeqByKind, 0, lastSeqByKind.length);
            dropped = droppedBefore;
            log.error("outbox commit of {} events failed: {}", appends.size(), e.toString());
            OutboxException failure = new OutboxException("outbox commit failed: " + e.getMessage(), e);
            for (Append a : appends) {
                a.done().completeExceptionally(failure);
            }
            // acknowledged events stay stored and go again: at least once
            for (Ack a : ackBatch) {
                pendingAcks.remove(a.seq());
            }
            return;
        }
        publishSnapshot();
        for (Ack a : ackBatch) {
            pendingAcks.remove(a.seq());
        }
        for (int i = 0; i < appends.size(); i++) {
            appends.get(i).done().complete(seqs[i]);
        }
        for (Runnable l : commitListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                log.warn("outbox commit listener failed", e);
            }
        }
    }

    private void syncFull(boolean full) throws SQLException {
        if (full != syncFull) {
            try (java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("PRAGMA synchronous = " + (full ? "FULL" : "NORMAL"));
            }
            syncFull = full;
        }
    }

    private void deleteAcknowledged(List<Ack> ackBatch) throws SQLException {
        if (ackBatch.isEmpty()) {
            return;
        }
        // PUBACKs come mostly in order: the batch's seqs of a kind fold into a few runs, each
        // deleted as one range of the seq key (a b-tree range delete: the cheapest there is)
        long[][] seqs = new long[KINDS.length][];
        int[] n = new int[KINDS.length];
        for (Ack a : ackBatch) {
            int k = a.kind().ordinal();
            if (seqs[k] == null) {
                seqs[k] = new long[ackBatch.size()];
            }
            seqs[k][n[k]++] = a.seq();
        }
        for (EventKind kind : KINDS) {
            int k = kind.ordinal();
            if (n[k] == 0) {
                continue;
            }
            long[] s = java.util.Arrays.copyOf(seqs[k], n[k]);
            java.util.Arrays.sort(s);
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM " + Outbox.table(kind) + " WHERE seq BETWEEN ? AND ?")) {
                int deleted = 0;
                int from = 0;
                for (int i = 1; i <= s.length; i++) {
                    if (i == s.length || s[i] != s[i - 1] + 1) {
                        ps.setLong(1, s[from]);
                        ps.setLong(2, s[i - 1]);
                        deleted += ps.executeUpdate(); // fewer if some were dropped on overflow
                        from = i;
                    }
                }
                count -= deleted;
                byKind[k] -= deleted;
            }
        }
    }

    private void insertAll(List<Append> appends, long[] seqs) throws SQLException {
        if (appends.isEmpty()) {
            return;
        }
        PreparedStatement[] inserts = new PreparedStatement[KINDS.length];
        try {
            for (int i = 0; i < appends.size(); i++) {
                EventEncoder.Encoded e = appends.get(i).event();
                int k = e.kind().ordinal();
                if (inserts[k] == null) {
                    inserts[k] = c.prepareStatement(insertSql(e.kind()));
                }
                long seq = ++lastSeq;
                seqs[i] = seq;
                insert(inserts[k], seq, e.kind(), e.createdMs(), e.withSeq(seq));
            }
        } finally {
            for (PreparedStatement ps : inserts) {
                if (ps != null) {
                    ps.close();
                }
            }
        }
    }

    private static String insertSql(EventKind kind) {
        return "INSERT INTO " + Outbox.table(kind) + "(seq, created_ms, payload) VALUES (?,?,?)";
    }

    private void insert(PreparedStatement ps, long seq, EventKind kind, long createdMs, byte[] envelope)
            throws SQLException {
        ps.setLong(1, seq);
        ps.setLong(2, createdMs);
        ps.setBytes(3, envelope);
        ps.executeUpdate();
        count++;
        byKind[kind.ordinal()]++;
        lastSeqByKind[kind.ordinal()] = seq;
    }

    /** Drops the oldest of the lowest priority to make room, then stores one overflow event. */
    private void overflow() throws SQLException {
        long toDrop = count - settings.maxEntries() + 1; // +1: room for the overflow event itself
        Map<EventKind, Long> droppedByKind = new EnumMap<>(EventKind.class);
        for (int k = KINDS.length - 1; k >= 0 && toDrop > 0; k--) {
            long n = Math.min(toDrop, byKind[k]);
            if (n == 0) {
                continue;
            }
            String t = Outbox.table(KINDS[k]);
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM " + t + " WHERE seq IN (SELECT seq FROM " + t + " ORDER BY seq LIMIT ?)")) {
                ps.setLong(1, n);
                int deleted = ps.executeUpdate();
                count -= deleted;
                byKind[k] -= deleted;
                toDrop -= deleted;
                dropped += deleted;
                droppedByKind.put(KINDS[k], (long) deleted);
            }
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        ObjectNode counts = data.putObject("dropped");
        droppedByKind.forEach((k, n) -> counts.put(k.topicName(), n));
        data.put("maxEntries", settings.maxEntries());
        EventEncoder.Encoded event = encoder.encode(Outbox.OVERFLOW_TYPE, data);
        long seq = ++lastSeq;
        try (PreparedStatement ps = c.prepareStatement(insertSql(event.kind()))) {
            insert(ps, seq, event.kind(), event.createdMs(), event.withSeq(seq));
        }
        log.warn("outbox full ({} events): dropped {}", settings.maxEntries(), counts);
    }
}
