package cardterm.terminal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the terminal remembers of the commands it received, on disk, so a restart forgets none of
 * them within the replay window (hub-contract.md, "Commands"): each request id with the hash of
 * its body and, once the command was carried out or refused, its stored reply. Replies wait in a
 * queue of their own until the broker has acknowledged them ({@link #pendingReplies},
 * {@link #replyDelivered}), as events wait in the {@link Outbox}. Knows nothing of MQTT or of
 * what the commands mean. Thread-safe (one shared connection of the {@link Database}).
 */
public final class CommandLog {
    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1,
            "commands received (request id, body hash, reply) and replies waiting for the broker",
            "CREATE TABLE commands (request_id TEXT PRIMARY KEY, body_sha256 BLOB NOT NULL, "
                    + "received_ms INTEGER NOT NULL, reply BLOB)",
            "CREATE INDEX commands_received ON commands(received_ms)",
            "CREATE TABLE replies (id INTEGER PRIMARY KEY AUTOINCREMENT, created_ms INTEGER NOT NULL, "
                    + "payload BLOB NOT NULL)"));

    /** What is known of a request id. */
    public sealed interface Seen {}

    /** Never seen (or forgotten: older than the window): carry it out. */
    public record Unknown() implements Seen {}

    /** Seen with another body: a replay. */
    public record OtherBody() implements Seen {}

    /**
     * Seen with this very body. {@code reply} is the stored reply, or empty when the command was
     * received but the terminal stopped before its reply was stored (its effect may or may not
     * have happened: the handler must find out).
     */
    public record SameBody(Optional<byte[]> reply) implements Seen {}

    /** A reply waiting for the broker's acknowledgement. */
    public record PendingReply(long id, byte[] payload) {
        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    private final Database db;
    private final Clock clock;
    private final Duration window;
    /** The highest reply id queued so far: lets readers skip the query when nothing is new. */
    private final java.util.concurrent.atomic.AtomicLong lastReplyId = new java.util.concurrent.atomic.AtomicLong();

    private CommandLog(Database db, Clock clock, Duration window) {
        this.db = db;
        this.clock = clock;
        this.window = window;
        lastReplyId.set(db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM replies");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }));
    }

    /** The highest reply id queued so far (0 when none). */
    public long lastReplyId() {
        return lastReplyId.get();
    }

    /** Opens the log in {@code db}, creating its tables if need be; ids older than {@code window} are forgotten. */
    public static CommandLog open(Database db, Clock clock, Duration window) {
        Objects.requireNonNull(db, "db");
        db.migrate("commands", MIGRATIONS);
        return new CommandLog(db, Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(window, "window"));
    }

    /** What is known of {@code requestId} within the window. */
    public Seen lookup(String requestId, byte[] bodySha256) {
        long since = clock.millis() - window.toMillis();
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT body_sha256, reply FROM commands WHERE request_id = ? AND received_ms >= ?")) {
                ps.setString(1, requestId);
                ps.setLong(2, since);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Unknown();
                    }
                    if (!Arrays.equals(rs.getBytes(1), bodySha256)) {
                        return new OtherBody();
                    }
                    return new SameBody(Optional.ofNullable(rs.getBytes(2)));
                }
            }
        });
    }

    /**
     * Records that {@code requestId} (with this body) is being carried out, before its effect;
     * forgets ids older than the window. Returns false when {@code maxRemembered} ids of the window
     * are held already (nothing recorded: refuse the command rather than forget early).
     */
    public boolean received(String requestId, byte[] bodySha256, int maxRemembered) {
        long now = clock.millis();
        return db.transaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM commands WHERE received_ms < ?")) {
                del.setLong(1, now - window.toMillis());
                del.executeUpdate();
            }
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM commands");
                    ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getLong(1) >= maxRemembered) {
                    return false;
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT OR REPLACE INTO commands(request_id, body_sha256, "
                    + "received_ms, reply) VALUES (?,?,?,NULL)")) {
                ins.setString(1, requestId);
                ins.setBytes(2, bodySha256);
                ins.setLong(3, now);
                ins.executeUpdate();
            }
            return true;
        });
    }

    /** Keeps the reply to a {@link #received} command, for repeats. */
    public void remember(String requestId, byte[] reply) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(reply, "reply");
        db.transaction(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE commands SET reply = ? WHERE request_id = ?")) {
                up.setBytes(1, reply);
                up.setString(2, requestId);
                up.executeUpdate();
            }
            return null;
        });
    }

    /** Queues a reply for the broker; it stays queued until {@link #replyDelivered}. */
    public void queueReply(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        long now = clock.millis();
        db.transaction(c -> {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO replies(created_ms, payload) VALUES (?,?)",
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                ins.setLong(1, now);
                ins.setBytes(2, payload);
                ins.executeUpdate();
                try (ResultSet keys = ins.getGeneratedKeys()) {
                    if (keys.next()) {
                        lastReplyId.accumulateAndGet(keys.getLong(1), Math::max);
                    }
                }
            }
            return null;
        });
    }

    /** Up to {@code limit} replies waiting, oldest first, with an id above {@code afterId}. */
    public List<PendingReply> pendingReplies(long afterId, int limit) {
        if (afterId >= lastReplyId.get()) {
            return List.of();
        }
        return db.transaction(c -> {
            List<PendingReply> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, payload FROM replies WHERE id > ? ORDER BY id LIMIT ?")) {
                ps.setLong(1, afterId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PendingReply(rs.getLong(1), rs.getBytes(2)));
                    }
                }
            }
            return out;
        });
    }

    /** The broker acknowledged the reply: it leaves the queue. */
    public void replyDelivered(long id) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM replies WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Replies waiting for the broker. */
    public long repliesWaiting() {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM replies");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Request ids remembered in the window now. */
    public long remembered() {
        long since = clock.millis() - window.toMillis();
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM commands WHERE received_ms >= ?")) {
                ps.setLong(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
