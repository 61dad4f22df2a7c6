package cardterm.terminal.store;

import cardterm.devices.concurrent.ServiceThreads;

import cardterm.terminal.event.EventEncoder;
import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventKind;
import cardterm.terminal.event.EventSink;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal's durable outbox: every event, framed by the {@link EventEncoder}, is committed
 * to SQLite ({@code synchronous=FULL}) before {@link #publish} returns, and kept as kind + bytes
 * until the broker has acknowledged it ({@link #acknowledge}). It knows no transport: the hub
 * link reads it ({@link #read}) and acknowledges what the broker took.
 *
 * <p>One writer thread ({@link OutboxWriter}) commits what all publishers hand it in one
 * transaction (group commit), so many concurrent publishers share each disk sync. {@code seq} is
 * given by the writer inside the transaction and stored in the {@code counters} table with the
 * events, so it is gap-free and never repeats, across restarts and power loss.
 *
 * <p>The backlog lives on disk only: {@link #read} pages through it, so the heap does not grow
 * with it. An acknowledged event is done with once its kind's acknowledged mark passes it; its
 * row is deleted a little later (see {@link OutboxWriter}).
 * Beyond {@link OutboxSettings#maxEntries()} the oldest events of the lowest priority
 * (audit, then device, issuance, assist) are dropped and an {@code outbox.overflow} event says how
 * many of each kind.
 */
public final class Outbox implements EventSink, AutoCloseable {
    /** The counter holding the last seq given. */
    public static final String SEQ_COUNTER = "event.seq";
    /** The event type reporting dropped events. */
    public static final String OVERFLOW_TYPE = "outbox.overflow";
    /** Largest envelope accepted, in bytes. */
    public static final int MAX_PAYLOAD_BYTES = EventEncoder.MAX_PAYLOAD_BYTES;

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
    private static final EventKind[] KINDS = EventKind.values();

    private final OutboxSettings settings;
    private final Clock clock;
    private final EventEncoder encoder;
    private final Semaphore room;
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final Connection readConnection;
    /** Per kind, the statement {@link #read} uses, prepared once (lock: the read connection). */
    private final PreparedStatement[] pageReads = new PreparedStatement[KINDS.length];
    private final OutboxWriter writer;
    private final Thread writerThread;
    private volatile boolean closed;

    private Outbox(Database db, OutboxSettings settings, Clock clock) throws SQLException {
        this.settings = settings;
        this.clock = clock;
        this.encoder = new EventEncoder(settings.site(), settings.terminal(), clock);
        this.room = new Semaphore(settings.queueCapacity());
        this.readConnection = db.openConnection();
        this.writer = new OutboxWriter(db.openConnection(), settings, encoder, room::release);
        this.writerThread = ServiceThreads.named("outbox-writer").unstarted(writer);
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
        return store(encoder.encode(type, data));
    }

    /** {@link #publish(String, ObjectNode)} under {@code id} (see {@link EventSink#publish(String, ObjectNode, String)}). */
    @Override
    public EventEnvelope publish(String type, ObjectNode data, String id) {
        return store(encoder.encode(type, data, id));
    }

    private EventEnvelope store(EventEncoder.Encoded event) {
        OutboxWriter.Append append = new OutboxWriter.Append(event, new CompletableFuture<>());
        long deadline = System.nanoTime() + settings.publishTimeout().toNanos();
        long seq = submitAndWait(append, deadline);
        return encoder.envelope(event, seq);
    }

    private long submitAndWait(OutboxWriter.Append append, long deadline) {
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
                writer.submit(append);
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
     * order, read from disk. Events under the kind's acknowledged mark ({@link #acknowledgeThrough})
     * are left out.
     */
    public OutboxPage read(EventKind kind, long afterSeq, int limit) {
        return read(kind, afterSeq, limit, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(EventKind, long, int)}, stopping early once the payloads read reach
     * {@code maxBytes} (at least one event is read): a page of large events stays small.
     */
    public OutboxPage read(EventKind kind, long afterSeq, int limit, long maxBytes) {
        if (limit < 1) {
            return new OutboxPage(List.of(), afterSeq, false);
        }
        List<OutboxEntry> out = new ArrayList<>(Math.min(limit, 1024));
        // what the broker acknowledged (under the kind's mark) is not read at all
        long from = Math.max(afterSeq, writer.ackedThrough(kind));
        long last = from;
        boolean full = false;
        synchronized (readConnection) {
            checkOpen();
            try {
                PreparedStatement ps = pageReads[kind.ordinal()];
                if (ps == null) {
                    ps = readConnection.prepareStatement(
                            "SELECT seq, payload FROM " + table(kind) + " WHERE seq > ? ORDER BY seq LIMIT ?");
                    pageReads[kind.ordinal()] = ps;
                }
                ps.setLong(1, from);
                ps.setInt(2, limit);
                long bytes = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        byte[] payload = rs.getBytes(2);
                        last = seq;
                        out.add(new OutboxEntry(seq, kind, payload));
                        bytes += payload.length;
                        if (bytes >= maxBytes && out.size() < limit) {
                            full = true; // more may wait: not exhausted
                            break;
                        }
                    }
                }
            } catch (SQLException e) {
                throw new DatabaseException("cannot read the outbox: " + e.getMessage(), e);
            }
        }
        return new OutboxPage(out, last, !full && out.size() < limit);
    }

    /**
     * The broker has acknowledged every waiting event of {@code kind} up to {@code seq}: they are
     * done with ({@link #read} leaves them out at once; the mark is committed soon, the rows
     * deleted later). The caller sends each kind in seq order, every waiting event of it, and
     * calls this for the prefix acknowledged so far: MQTT acknowledges QoS 1 messages in the order
     * they were sent. A mark never moves back; after a close it is ignored (what it covered goes
     * again after the restart: at least once). Never blocks.
     */
    public void acknowledgeThrough(EventKind kind, long seq) {
        if (closed) {
            return;
        }
        writer.acknowledgeThrough(Objects.requireNonNull(kind, "kind"), seq);
    }

    /** The highest seq stored so far of {@code kind} (0 if none since this outbox opened and none waiting). */
    public long lastSeq(EventKind kind) {
        return writer.snapshot().lastSeqByKind()[kind.ordinal()];
    }

    /** The last seq given to any event. */
    public long lastSeq() {
        return writer.snapshot().lastSeq();
    }

    /** Events dropped on overflow since this outbox opened. */
    public long droppedSinceOpen() {
        return writer.snapshot().dropped();
    }

    /** Count of waiting events (cheap, no disk access). */
    public long size() {
        return writer.snapshot().count();
    }

    /** What waits, by kind, and the age of the oldest. */
    public Backlog backlog() {
        OutboxWriter.Snapshot s = writer.snapshot();
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
                                "SELECT seq, created_ms FROM " + table(k) + " WHERE seq > ? ORDER BY seq LIMIT 1")) {
                            ps.setLong(1, s.ackedThroughByKind()[k.ordinal()]);
                            try (ResultSet rs = ps.executeQuery()) {
                                if (rs.next() && rs.getLong(1) < oldestSeq) {
                                    oldestSeq = rs.getLong(1);
                                    oldest = Optional.of(Instant.ofEpochMilli(rs.getLong(2)));
                                }
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
     * Runs {@code listener} after each commit that stored events or noted acknowledged ones, on
     * the writer thread: it must not block (signal another thread).
     */
    public void addCommitListener(Runnable listener) {
        writer.addCommitListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeCommitListener(Runnable listener) {
        writer.removeCommitListener(listener);
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
            writer.stop();
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
                for (PreparedStatement ps : pageReads) {
                    if (ps != null) {
                        ps.close();
                    }
                }
                readConnection.close();
            } catch (SQLException e) {
                log.debug("closing the outbox reader failed", e);
            }
        }
    }
}
