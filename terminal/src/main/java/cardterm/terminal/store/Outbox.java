package cardterm.terminal.store;

import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventKind;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.event.HubTime;
import cardterm.terminal.event.PersonalDataGuard;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal's durable outbox: every event is framed as the hub contract's envelope, committed
 * to SQLite ({@code synchronous=FULL}) before {@link #publish} returns, and kept until the broker
 * has acknowledged it ({@link #acknowledge}).
 *
 * <p>One writer thread commits what all publishers hand it in one transaction (group commit), so
 * many concurrent publishers share each disk sync. {@code seq} is given by the writer inside the
 * transaction and stored in the {@code counters} table with the events, so it is gap-free and
 * never repeats, across restarts and power loss.
 *
 * <p>The backlog lives on disk only: {@link #read} pages through it, so the heap does not grow
 * with it. Beyond {@link OutboxSettings#maxEntries()} the oldest events of the lowest priority
 * (audit, then device, issuance, assist) are dropped and an {@code outbox.overflow} event says how
 * many of each kind.
 */
public final class Outbox implements EventSink, AutoCloseable {
    /** The counter holding the last seq given. */
    public static final String SEQ_COUNTER = "event.seq";
    /** The event type reporting dropped events. */
    public static final String OVERFLOW_TYPE = "outbox.overflow";
    /** Largest envelope accepted, in bytes. */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    /**
     * One table per kind ({@code outbox_assist}, ...), keyed by seq alone: reading a kind in seq
     * order and deleting acknowledged events touch one B-tree, with no secondary index.
     */
    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "outbox of events for the hub, a table per kind",
            createTable(EventKind.ASSIST), createTable(EventKind.ISSUANCE), createTable(EventKind.DEVICE),
            createTable(EventKind.AUDIT)));

    private static String createTable(EventKind kind) {
        return "CREATE TABLE " + table(kind) + " (seq INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, "
                + "payload BLOB NOT NULL)";
    }

    /** The table of a kind: {@code outbox_assist}, {@code outbox_issuance}, ... */
    static String table(EventKind kind) {
        return "outbox_" + kind.topicName();
    }

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BATCH = 4096;
    private static final long ACK_LINGER_MS = 5;
    private static final EventKind[] KINDS = EventKind.values();
    private static final Object WAKE = new Object();
    private static final Object STOP = new Object();

    private final Database db;
    private final OutboxSettings settings;
    private final Clock clock;
    private final UuidV7 ids;
    private final String siteJson;
    private final String terminalJson;

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Set<Long> pendingAcks = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();

    private final Connection readConnection;
    private final Writer writer;
    private final Thread writerThread;
    private volatile boolean closed;

    /** Counts and last seqs as of the last commit; replaced whole, never changed. */
    private volatile Snapshot snapshot;

    private record Snapshot(long count, long[] byKind, long[] lastSeqByKind, long lastSeq, long dropped) {}

    private record Append(EventKind kind, String head, String tail, long createdMs, CompletableFuture<Long> done) {}

    private record Ack(long seq, EventKind kind) {}

    private Outbox(Database db, OutboxSettings settings, Clock clock) throws SQLException {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        this.ids = new UuidV7(clock);
        this.siteJson = quote(settings.site());
        this.terminalJson = quote(settings.terminal());
        this.room = new Semaphore(settings.queueCapacity());
        this.readConnection = db.openConnection();
        this.writer = new Writer(db.openConnection());
        this.writerThread = Thread.ofPlatform().daemon().name("outbox-writer").unstarted(writer);
    }

    /**
     * Opens the outbox in {@code db} (creating its table if need be) and starts its writer thread.
     * Times in envelopes carry {@code clock}'s zone offset.
     */
    public static Outbox open(Database db, OutboxSettings settings, Clock clock) {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        db.migrate("outbox", MIGRATIONS);
        Outbox outbox;
        try {
            outbox = new Outbox(db, settings, clock);
            outbox.writer.load();
        } catch (SQLException e) {
            throw new DatabaseException("cannot open the outbox: " + e.getMessage(), e);
        }
        outbox.writerThread.start();
        return outbox;
    }

    public OutboxSettings settings() {
        return settings;
    }

    /**
     * Frames, stores and commits one event; returns once it is durable. Waits for room in the
     * writer's queue and for the commit, together at most {@link OutboxSettings#publishTimeout()}.
     *
     * @throws IllegalArgumentException for a type of no known kind or an oversized event
     * @throws OutboxException if the event could not be stored (closed, timed out, disk failure,
     *     interrupted); after a time-out or interrupt the event may still be stored later
     */
    @Override
    public EventEnvelope publish(String type, ObjectNode data) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        EventKind kind = EventKind.ofType(type);
        OffsetDateTime ts = HubTime.now(clock);
        String id = ids.next().toString();
        String dataJson;
        try {
            dataJson = JSON.writeValueAsString(PersonalDataGuard.mask(data));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON: " + e.getMessage(), e);
        }
        String head = "{\"id\":\"" + id + "\",\"seq\":";
        String tail = ",\"ts\":\"" + HubTime.format(ts) + "\",\"type\":" + quote(type) + ",\"terminal\":" + terminalJson
                + ",\"site\":" + siteJson + ",\"data\":" + dataJson + "}";
        int chars = head.length() + tail.length() + 20; // 20: room for the seq
        // a char takes at most 3 bytes in UTF-8: only long events need counting
        if (chars * 3 > MAX_PAYLOAD_BYTES && (head + tail).getBytes(StandardCharsets.UTF_8).length + 20 > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("event " + type + " is larger than " + MAX_PAYLOAD_BYTES + " bytes");
        }
        Append append = new Append(kind, head, tail, ts.toInstant().toEpochMilli(), new CompletableFuture<>());
        long deadline = System.nanoTime() + settings.publishTimeout().toNanos();
        long seq = submitAndWait(append, deadline);
        return new EventEnvelope(id, seq, ts, type, settings.terminal(), settings.site(), data);
    }

    private long submitAndWait(Append append, long deadline) {
        try {
            if (!room.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new OutboxException("outbox queue stayed full for " + settings.publishTimeout());
            }
            closeLock.readLock().lock();
            try {
                if (closed) {
                    room.release();
                    throw new OutboxException("outbox is closed");
                }
                queue.add(append);
            } finally {
                closeLock.readLock().unlock();
            }
            return append.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxException("interrupted while storing an event");
        } catch (TimeoutException e) {
            throw new OutboxException("event not committed within " + settings.publishTimeout());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new OutboxException("event not stored: " + cause.getMessage(), cause);
        }
    }

    /**
     * Up to {@code limit} waiting events of {@code kind} with a seq above {@code afterSeq}, in seq
     * order, read from disk. Events already acknowledged but not yet deleted are left out (but
     * counted in {@link OutboxPage#lastScanned()}).
     */
    public OutboxPage read(EventKind kind, long afterSeq, int limit) {
        if (limit < 1) {
            return new OutboxPage(List.of(), afterSeq, false);
        }
        List<OutboxEntry> out = new ArrayList<>(Math.min(limit, 1024));
        long last = afterSeq;
        int rows = 0;
        synchronized (readConnection) {
            checkOpen();
            try (PreparedStatement ps = readConnection.prepareStatement(
                    "SELECT seq, payload FROM " + table(kind) + " WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, afterSeq);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        long seq = rs.getLong(1);
                        last = seq;
                        if (!pendingAcks.contains(seq)) {
                            out.add(new OutboxEntry(seq, kind, rs.getBytes(2)));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new DatabaseException("cannot read the outbox: " + e.getMessage(), e);
            }
        }
        return new OutboxPage(out, last, rows < limit);
    }

    /**
     * The broker has acknowledged this event: it is deleted (soon, by the writer; until then
     * {@link #read} leaves it out). Never blocks. An event already dropped is ignored.
     */
    public void acknowledge(OutboxEntry entry) {
        if (closed) {
            return; // it stays stored and goes again after the restart: at least once
        }
        if (pendingAcks.add(entry.seq())) {
            acks.add(new Ack(entry.seq(), entry.kind()));
            wakeWriter();
        }
    }

    /** Acknowledged events not yet deleted (at most what the caller acknowledged). */
    public int pendingAcknowledgements() {
        return pendingAcks.size();
    }

    /** The highest seq stored so far of {@code kind} (0 if none since this outbox opened and none waiting). */
    public long lastSeq(EventKind kind) {
        return snapshot.lastSeqByKind()[kind.ordinal()];
    }

    /** The last seq given to any event. */
    public long lastSeq() {
        return snapshot.lastSeq();
    }

    /** Events dropped on overflow since this outbox opened. */
    public long droppedSinceOpen() {
        return snapshot.dropped();
    }

    /** Count of waiting events (cheap, no disk access). */
    public long size() {
        return snapshot.count();
    }

    /** What waits, by kind, and the age of the oldest. */
    public Backlog backlog() {
        Snapshot s = snapshot;
        Map<EventKind, Long> byKind = new EnumMap<>(EventKind.class);
        for (EventKind k : KINDS) {
            byKind.put(k, s.byKind()[k.ordinal()]);
        }
        Optional<Instant> oldest = Optional.empty();
        if (s.count() > 0) {
            synchronized (readConnection) {
                checkOpen();
                try {
                    long oldestSeq = Long.MAX_VALUE;
                    for (EventKind k : KINDS) {
                        try (PreparedStatement ps = readConnection.prepareStatement(
                                "SELECT seq, created_ms FROM " + table(k) + " ORDER BY seq LIMIT 1");
                                ResultSet rs = ps.executeQuery()) {
                            if (rs.next() && rs.getLong(1) < oldestSeq) {
                                oldestSeq = rs.getLong(1);
                                oldest = Optional.of(Instant.ofEpochMilli(rs.getLong(2)));
                            }
                        }
                    }
                } catch (SQLException e) {
                    throw new DatabaseException("cannot read the outbox: " + e.getMessage(), e);
                }
            }
        }
        Duration age = oldest.map(o -> Duration.between(o, clock.instant())).filter(d -> !d.isNegative())
                .orElse(Duration.ZERO);
        return new Backlog(s.count(), byKind, oldest, age);
    }

    /**
     * Runs {@code listener} after each commit that stored events or deleted acknowledged ones, on
     * the writer thread: it must not block (signal another thread).
     */
    public void addCommitListener(Runnable listener) {
        commitListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeCommitListener(Runnable listener) {
        commitListeners.remove(listener);
    }

    private void wakeWriter() {
        if (wakePending.compareAndSet(false, true)) {
            queue.add(WAKE);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new OutboxException("outbox is closed");
        }
    }

    /** Commits what was handed in so far, stops the writer and closes the outbox's connections. */
    @Override
    public void close() {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        } finally {
            closeLock.writeLock().unlock();
        }
        try {
            writerThread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writerThread.isAlive()) {
            log.warn("outbox writer did not stop within 30 s");
        }
        synchronized (readConnection) {
            try {
                readConnection.close();
            } catch (SQLException e) {
                log.debug("closing the outbox reader failed", e);
            }
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one thread that writes the outbox table. */
    private final class Writer implements Runnable {
        private final Connection c;
        private long lastSeq;
        private long count;
        private final long[] byKind = new long[KINDS.length];
        private final long[] lastSeqByKind = new long[KINDS.length];
        private long dropped;
        private boolean syncFull = true;

        Writer(Connection c) {
            this.c = c;
        }

        void load() throws SQLException {
            long counter = Database.readCounter(c, SEQ_COUNTER);
            long maxStored = 0;
            for (EventKind kind : KINDS) {
                int k = kind.ordinal();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM " + table(kind));
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
                room.release(appends.size());
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
                        Database.writeCounter(conn, SEQ_COUNTER, lastSeq);
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
            // one set-based statement per kind for the whole batch: far cheaper than one per row
            StringBuilder[] seqs = new StringBuilder[KINDS.length];
            for (Ack a : ackBatch) {
                int k = a.kind().ordinal();
                if (seqs[k] == null) {
                    seqs[k] = new StringBuilder(ackBatch.size() * 8).append('[');
                } else {
                    seqs[k].append(',');
                }
                seqs[k].append(a.seq());
            }
            for (EventKind kind : KINDS) {
                StringBuilder list = seqs[kind.ordinal()];
                if (list == null) {
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM " + table(kind) + " WHERE seq IN (SELECT value FROM json_each(?))")) {
                    ps.setString(1, list.append(']').toString());
                    int deleted = ps.executeUpdate(); // fewer if some were dropped on overflow
                    count -= deleted;
                    byKind[kind.ordinal()] -= deleted;
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
                    Append a = appends.get(i);
                    int k = a.kind().ordinal();
                    if (inserts[k] == null) {
                        inserts[k] = c.prepareStatement(insertSql(a.kind()));
                    }
                    long seq = ++lastSeq;
                    seqs[i] = seq;
                    insert(inserts[k], seq, a.kind(), a.createdMs(), a.head() + seq + a.tail());
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
            return "INSERT INTO " + table(kind) + "(seq, created_ms, payload) VALUES (?,?,?)";
        }

        private void insert(PreparedStatement ps, long seq, EventKind kind, long createdMs, String json)
                throws SQLException {
            ps.setLong(1, seq);
            ps.setLong(2, createdMs);
            ps.setBytes(3, json.getBytes(StandardCharsets.UTF_8));
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
                String t = table(KINDS[k]);
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
            ObjectNode data = JSON.createObjectNode();
            ObjectNode counts = data.putObject("dropped");
            droppedByKind.forEach((k, n) -> counts.put(k.topicName(), n));
            data.put("maxEntries", settings.maxEntries());
            OffsetDateTime ts = HubTime.now(clock);
            long seq = ++lastSeq;
            String json = "{\"id\":\"" + ids.next() + "\",\"seq\":" + seq + ",\"ts\":\"" + HubTime.format(ts)
                    + "\",\"type\":\"" + OVERFLOW_TYPE + "\",\"terminal\":" + terminalJson + ",\"site\":" + siteJson
                    + ",\"data\":" + data + "}";
            try (PreparedStatement ps = c.prepareStatement(insertSql(EventKind.DEVICE))) {
                insert(ps, seq, EventKind.DEVICE, ts.toInstant().toEpochMilli(), json);
            }
            log.warn("outbox full ({} events): dropped {}", settings.maxEntries(), counts);
        }
    }
}
