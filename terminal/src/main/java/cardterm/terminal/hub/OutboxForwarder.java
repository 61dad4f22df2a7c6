package cardterm.terminal.hub;

import cardterm.terminal.event.EventKind;
import cardterm.terminal.store.CommandLog;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxEntry;
import cardterm.terminal.store.OutboxPage;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Drains the durable {@link Outbox} and the replies waiting in the {@link CommandLog} into a
 * session: replies first, then events of kind assist, issuance, device, audit;
 * within a kind in seq order; at most the window unacknowledged. An event leaves the outbox only
 * on the broker's PUBACK ({@link #acknowledged}); a new session starts again from the oldest
 * waiting event (at least once: the hub drops duplicates by id). Called on the link thread,
 * but for {@link #acknowledged} and {@link #wantsRefill} (Paho's threads).
 */
final class OutboxForwarder {
    private static final EventKind[] KINDS = EventKind.values();
    private static final int PAGE = 256;
    /** Acknowledged events awaiting deletion that do not yet hold the flow back, in windows. */
    private static final int ACK_SLACK = 4;

    private final Outbox outbox;
    private final CommandLog replies;
    private final Topics topics;
    private final int window;
    /** Per kind, the last seq sent in the current session. */
    private final long[] cursor = new long[KINDS.length];
    /** The last reply id sent in the current session. */
    private long replyCursor;
    /** Replies the broker acknowledged, to delete from the log on the link thread. */
    private final ConcurrentLinkedQueue<Long> repliesDelivered = new ConcurrentLinkedQueue<>();
    private HubSession session;

    OutboxForwarder(Outbox outbox, CommandLog replies, Topics topics, int window) {
        this.outbox = outbox;
        this.replies = replies;
        this.topics = topics;
        this.window = window;
    }

    /** A new session: everything waiting goes (again), oldest first. */
    void startSession(HubSession s) {
        session = s;
        java.util.Arrays.fill(cursor, 0);
        replyCursor = 0;
    }

    /**
     * The broker acknowledged what was published under {@code context}: an event is deleted from
     * the outbox (soon), a reply from the log's queue (on the link thread). Never blocks.
     */
    void acknowledged(Object context) {
        if (context instanceof OutboxEntry entry) {
            outbox.acknowledge(entry);
        } else if (context instanceof CommandLog.PendingReply reply) {
            repliesDelivered.add(reply.id());
        }
    }

    /** Whether {@code left} unacknowledged events leave room worth a refill. */
    boolean wantsRefill(int left) {
        return left <= window - refillBatch();
    }

    /** Publishes waiting replies, then events, while there is room in the window, most urgent first. */
    void fill() throws MqttException {
        HubSession s = session;
        Long delivered;
        while ((delivered = repliesDelivered.poll()) != null) {
            replies.replyDelivered(delivered);
        }
        if (!fillReplies(s)) {
            return;
        }
        // acknowledged events wait a moment for the writer to delete them (longer while SQLite
        // checkpoints); up to ACK_SLACK windows of them do not hold the flow back, more do, so
        // they stay bounded
        int free = window - s.inflight.get()
                - Math.max(0, outbox.pendingAcknowledgements() - ACK_SLACK * window);
        // refill in batches, not one event per acknowledgement
        if (free <= 0 || (free < refillBatch() && s.inflight.get() > 0)) {
            return;
        }
        for (EventKind kind : KINDS) {
            int k = kind.ordinal();
            while (free > 0 && s.isUp()) {
                long last = outbox.lastSeq(kind);
                if (cursor[k] >= last) {
                    break;
                }
                OutboxPage page = outbox.read(kind, cursor[k], Math.min(free, PAGE));
                String topic = topics.event(kind);
                for (OutboxEntry e : page.entries()) {
                    try {
                        s.publishTracked(topic, e.payload(), e);
                    } catch (MqttException ex) {
                        if (ex.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                            return; // Paho's window is full; the next acknowledgement wakes us
                        }
                        throw ex;
                    }
                    cursor[k] = e.seq();
                    free--;
                }
                cursor[k] = Math.max(cursor[k], page.exhausted() ? Math.max(page.lastScanned(), last)
                        : page.lastScanned());
            }
            if (free <= 0) {
                return;
            }
        }
    }

    /** Publishes the replies waiting; false when the window filled up before all went. */
    private boolean fillReplies(HubSession s) throws MqttException {
        while (s.isUp()) {
            int free = window - s.inflight.get();
            if (free <= 0) {
                return false;
            }
            List<CommandLog.PendingReply> page = replies.pendingReplies(replyCursor, Math.min(free, PAGE));
            for (CommandLog.PendingReply r : page) {
                try {
                    s.publishTracked(topics.reply(), r.payload(), r);
                } catch (MqttException ex) {
                    if (ex.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                        return false;
                    }
                    throw ex;
                }
                replyCursor = r.id();
            }
            if (page.size() < Math.min(free, PAGE)) {
                return true;
            }
        }
        return false;
    }

    /** Free room in the window worth a refill: a sixteenth of it (keeps the window full while draining). */
    private int refillBatch() {
        return Math.max(1, window / 16);
    }
}
