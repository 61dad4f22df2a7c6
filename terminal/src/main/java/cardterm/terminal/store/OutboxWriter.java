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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the outbox's tables: it commits what all publishers hand it in one
 * transaction (group commit), so many concurrent publishers share each disk sync, gives each
 * event its {@code seq} inside that transaction, notes what the broker acknowledged, and drops
 * the oldest of the lowest priority beyond {@link OutboxSettings#maxEntries()}. What it has
 * committed is published as an immutable {@link Snapshot}.
 *
 * <p>Acknowledged events are done with by a mark per kind, {@code outbox.acked.<kind>} in the
 * counters table: every event of the kind up to that seq was acknowledged. The hub link, which
 * sends each kind in seq order and gets the broker's acknowledgements in the same order, moves
 * the mark in memory ({@link #acknowledgeThrough}); the writer commits it, one small update per
 * commit, where deleting each event cost about as much CPU as sending it (a draining terminal
 * on a two-core board shares them with its broker link). The rows under the mark are
 * <em>spent</em>: nothing reads them, and they are deleted in chunks once the writer has been
 * idle a moment, or after each commit while more are left than the outbox holds at most
 * ({@link OutboxSettings#maxEntries()}: its disk use stays within twice a full backlog).
 */
final class OutboxWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(OutboxWriter.class);
    private static final int MAX_BATCH = 4096;
    private static final long ACK_LINGER_MS = 5;
    /** A pause in acknowledgements that ends the linger early (the last of a drain). */
    private static final long ACK_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Idle time after which spent rows are deleted, a chunk at a time. */
    private static final long IDLE_BEFORE_CLEANUP_MS = 50;
    /** Spent rows deleted in one transaction: an event handed in waits at most for one chunk. */
    private static final int SPENT_CHUNK = 1024;
    private static final EventKind[] KINDS = EventKind.values();
    private static final Object WAKE = new Object();
    private static final Object STOP = new Object();

    /**
     * Counts and last seqs as of the last commit; replaced whole, never changed.
     *
     * @param ackedThroughByKind per kind, the seq up to which every event is acknowledged
     */
    record Snapshot(long count, long[] byKind, long[] lastSeqByKind, long lastSeq, long dropped,
            long[] ackedThroughByKind) {}

    /** An event handed in, with the future its publisher waits on. */
    record Append(EventEncoder.Encoded event, CompletableFuture<Long> done) {}

    private final OutboxSettings settings;
    private final EventEncoder encoder;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** Per kind, the seq up to which the broker acknowledged everything (in memory, ahead of the commit). */
    private final AtomicLongArray ackedLatest = new AtomicLongArray(KINDS.length);
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /** Moves of an acknowledged mark so far (to see whether more keep coming). */
    private final AtomicLong acksNoted = new AtomicLong();
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
    private final java.util.function.IntConsumer releasedCount;
    private volatile Snapshot snapshot;

    private final Connection c;
    private long lastSeq;
    private long count;
    private final long[] byKind = new long[KINDS.length];
    private final long[] lastSeqByKind = new long[KINDS.length];
    private long dropped;
    /** Per kind, the seq up to which every event of the kind is acknowledged (committed). */
    private final long[] ackedThrough = new long[KINDS.length];
    /** Per kind, rows at or under {@link #ackedThrough} still on disk. */
    private final long[] spent = new long[KINDS.length];
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

    /**
     * Every waiting event of {@code kind} up to {@code seq} was acknowledged by the broker: the
     * kind's mark moves there (committed soon; read at once by {@link #ackedThrough(EventKind)}).
     * A mark never moves back.
     */
    void acknowledgeThrough(EventKind kind, long seq) {
        int k = kind.ordinal();
        long before = ackedLatest.getAndAccumulate(k, seq, Math::max);
        if (seq > before) {
            acksNoted.incrementAndGet();
            wakeWriter();
        }
    }

    /** The seq up to which every event of {@code kind} is acknowledged, committed or not yet. */
    long ackedThrough(EventKind kind) {
        return ackedLatest.get(kind.ordinal());
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

    /** The counter holding the acknowledged mark of {@code kind}. */
    static String ackedCounter(EventKind kind) {
        return "outbox.acked." + kind.topicName();
    }

    void load() throws SQLException {
        long counter = Database.readCounter(c, Outbox.SEQ_COUNTER);
        long maxStored = 0;
        for (EventKind kind : KINDS) {
            int k = kind.ordinal();
            ackedThrough[k] = Database.readCounter(c, ackedCounter(kind));
            ackedLatest.set(k, ackedThrough[k]);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*), COALESCE(SUM(seq <= ?), 0), COALESCE(MAX(seq), 0) FROM " + Outbox.table(kind))) {
                ps.setLong(1, ackedThrough[k]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    spent[k] = rs.getLong(2);
                    byKind[k] = rs.getLong(1) - spent[k];
                    lastSeqByKind[k] = rs.getLong(3);
                }
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
        snapshot = new Snapshot(count, byKind.clone(), lastSeqByKind.clone(), lastSeq, dropped, ackedThrough.clone());
    }

    @Override
    public void run() {
        List<Object> batch = new ArrayList<>(MAX_BATCH);
        List<Append> appends = new ArrayList<>(MAX_BATCH);
        boolean stop = false;
        while (!stop) {
            batch.clear();
            appends.clear();
            try {
                if (spentRows() == 0) {
                    batch.add(queue.take());
                } else {
                    Object first = queue.poll(IDLE_BEFORE_CLEANUP_MS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        deleteSpentChunk(); // idle a moment: tidy up a chunk, then look again
                        continue;
                    }
                    batch.add(first);
                }
            } catch (InterruptedException e) {
                // only close() stops the writer; keep going so no publisher is left waiting
                continue;
            }
            if (batch.get(0) == WAKE && queue.isEmpty()) {
                // only acknowledgements so far: let more gather while they keep coming, so a
                // steady drain moves the marks in a few hundred commits a second rather than one
                // per PUBACK; an event handed in, or a pause in acknowledgements (the last of a
                // drain), ends the wait at once
                try {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_LINGER_MS);
                    long seen = acksNoted.get();
                    while (System.nanoTime() < until) {
                        Object next = queue.poll(Math.min(ACK_PAUSE_NANOS, until - System.nanoTime()),
                                TimeUnit.NANOSECONDS);
                        if (next != null) {
                            batch.add(next);
                            break;
                        }
                        long now = acksNoted.get();
                        if (now == seen) {
                            break;
                        }
                        seen = now;
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
            if (!appends.isEmpty() || marksMoved()) {
                commit(appends);
                if (spentRows() > settings.maxEntries() && !stop) {
                    deleteSpentChunk(); // busy without a pause: spent rows stay bounded all the same
                }
            }
        }
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing the outbox writer connection failed", e);
        }
    }

    private boolean marksMoved() {
        for (int k = 0; k < KINDS.length; k++) {
            if (ackedLatest.get(k) > ackedThrough[k]) {
                return true;
            }
        }
        return false;
    }

    private void commit(List<Append> appends) {
        long seqBefore = lastSeq;
        long countBefore = count;
        long[] byKindBefore = byKind.clone();
        long[] lastByKindBefore = lastSeqByKind.clone();
        long droppedBefore = dropped;
        long[] ackedBefore = ackedThrough.clone();
        long[] spentBefore = spent.clone();
        long[] seqs = new long[appends.size()];
        try {
            // a commit that only moves acknowledged marks need not wait for the disk: if it is
            // lost, those events go again (at least once); the next commit of events syncs it too
            syncFull(!appends.isEmpty());
            Database.inTransaction(c, conn -> {
                moveMarks();
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
            System.arraycopy(ackedBefore, 0, ackedThrough, 0, ackedThrough.length);
            System.arraycopy(spentBefore, 0, spent, 0, spent.length);
            log.error("outbox commit of {} events failed: {}", appends.size(), e.toString());
            OutboxException failure = new OutboxException("outbox commit failed: " + e.getMessage(), e);
            for (Append a : appends) {
                a.done().completeExceptionally(failure);
            }
            // the marks stay where they were on disk and in memory ahead: the next commit tries again
            return;
        }
        publishSnapshot();
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

    /**
     * Commits each kind's acknowledged mark where the hub link moved it; the events it passes
     * (still stored: some may have been dropped on overflow) stop counting as waiting and are
     * spent.
     */
    private void moveMarks() throws SQLException {
        for (EventKind kind : KINDS) {
            int k = kind.ordinal();
            long mark = ackedLatest.get(k);
            if (mark <= ackedThrough[k]) {
                continue;
            }
            long covered;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM " + Outbox.table(kind) + " WHERE seq > ? AND seq <= ?")) {
                ps.setLong(1, ackedThrough[k]);
                ps.setLong(2, mark);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    covered = rs.getLong(1);
                }
            }
            Database.writeCounter(c, ackedCounter(kind), mark);
            ackedThrough[k] = mark;
            count -= covered;
            byKind[k] -= covered;
            spent[k] += covered;
        }
    }

    private long spentRows() {
        long n = 0;
        for (long s : spent) {
            n += s;
        }
        return n;
    }

    /**
     * Deletes up to {@link #SPENT_CHUNK} spent rows of one kind, the oldest first, in a
     * transaction of its own that need not wait for the disk (if it is lost, the rows are still
     * under the mark and deleted again). A failure leaves them for later.
     */
    private void deleteSpentChunk() {
        for (EventKind kind : KINDS) {
            int k = kind.ordinal();
            if (spent[k] == 0) {
                continue;
            }
            String t = Outbox.table(kind);
            long mark = ackedThrough[k];
            try {
                syncFull(false);
                int deleted = Database.inTransaction(c, conn -> {
                    long upTo = mark;
                    try (PreparedStatement ps = conn.prepareStatement(
                            "SELECT seq FROM " + t + " WHERE seq <= ? ORDER BY seq LIMIT 1 OFFSET ?")) {
                        ps.setLong(1, mark);
                        ps.setInt(2, SPENT_CHUNK - 1);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                upTo = rs.getLong(1);
                            }
                        }
                    }
                    try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + t + " WHERE seq <= ?")) {
                        ps.setLong(1, upTo);
                        return ps.executeUpdate();
                    }
                });
                spent[k] = deleted < SPENT_CHUNK ? 0 : Math.max(0, spent[k] - deleted);
            } catch (SQLException | RuntimeException e) {
                log.warn("deleting acknowledged events of {} failed (tried again later): {}", kind.topicName(),
                        e.toString());
            }
            return;
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
                    "DELETE FROM " + t + " WHERE seq IN (SELECT seq FROM " + t + " WHERE seq > ? ORDER BY seq LIMIT ?)")) {
                ps.setLong(1, ackedThrough[k]);
                ps.setLong(2, n);
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
