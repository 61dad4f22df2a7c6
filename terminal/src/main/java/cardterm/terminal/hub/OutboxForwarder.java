package cardterm.terminal.hub;

import cardterm.terminal.event.EventKind;
import cardterm.terminal.store.CommandLog;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxEntry;
import cardterm.terminal.store.OutboxPage;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Drains the durable {@link Outbox} and the replies waiting in the {@link CommandLog} into a
 * session: replies first, then events of kind assist, issuance, device, audit;
 * within a kind in seq order; at most the window unacknowledged. An event leaves the outbox only
 * on the broker's PUBACK ({@link #acknowledged}); a new session starts again from the oldest
 * waiting event (at least once: the hub drops duplicates by id). Called on the link thread,
 * but for {@link #acknowledged} and {@link #wantsRefill} (Paho's threads).
 *
 * <p>Each kind's events in flight are kept in the order sent; the broker acknowledges them in
 * that order (MQTT 3.1.1, 4.6), so each PUBACK moves the kind's acknowledged mark in the outbox
 * ({@link Outbox#acknowledgeThrough}) to that event. One acknowledged out of order waits until
 * those sent before it are acknowledged too.
 *
 * <p>Events are read from disk a page at a time into a small read-ahead of one kind, and go out
 * one for each acknowledgement, as a publisher with its own messages at hand would send them:
 * refilling the window in bursts of a sixteenth (as before) drained about a third slower on
 * loopback than a steady trickle ({@code cardterm bench outbox}). An event of a more urgent kind
 * stored meanwhile sets the read-ahead aside: it is read again after the urgent ones.
 */
final class OutboxForwarder {
    private static final EventKind[] KINDS = EventKind.values();
    /** Events read from disk at a time: a page costs a query, so not too few. */
    private static final int PAGE = 1024;
    /** At most this many payload bytes read ahead (a page of large events is cut short). */
    private static final long PAGE_BYTES = 512 * 1024;

    private final Outbox outbox;
    private final CommandLog replies;
    private final Topics topics;
    private final int window;
    /** Per kind, the last seq read in the current session (sent, or waiting in {@link #ahead}). */
    private final long[] cursor = new long[KINDS.length];
    /** Events read ahead of the window, all of kind {@link #aheadKind}, in seq order. */
    private final ArrayDeque<OutboxEntry> ahead = new ArrayDeque<>(PAGE);
    private EventKind aheadKind;
    /** The last reply id sent in the current session. */
    private long replyCursor;
    /** Replies the broker acknowledged, to delete from the log on the link thread. */
    private final ConcurrentLinkedQueue<Long> repliesDelivered = new ConcurrentLinkedQueue<>();
    /** Per kind, the events sent in this session and not yet acknowledged, in the order sent. */
    private volatile InFlight[] inFlight = newInFlight();
    private volatile HubSession session;

    OutboxForwarder(Outbox outbox, CommandLog replies, Topics topics, int window) {
        this.outbox = outbox;
        this.replies = replies;
        this.topics = topics;
        this.window = window;
    }

    private static InFlight[] newInFlight() {
        InFlight[] f = new InFlight[KINDS.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = new InFlight();
        }
        return f;
    }

    /**
     * A kind's events in flight in the order sent, and those acknowledged ahead of an earlier one.
     * One thread adds (the link's), one takes (Paho's callback thread): no lock between them.
     * A new session gets new ones.
     */
    static final class InFlight {
        private final ConcurrentLinkedQueue<OutboxEntry> sent = new ConcurrentLinkedQueue<>();
        /** Acknowledged out of order (the callback thread's alone). */
        private final Set<OutboxEntry> ackedAhead = Collections.newSetFromMap(new IdentityHashMap<>());

        void add(OutboxEntry e) {
            sent.add(e);
        }

        /** Takes back one added whose publish failed (before anything after it was added). */
        void takeBack(OutboxEntry e) {
            sent.remove(e);
        }

        /** {@code e} was acknowledged: the seq every event sent up to is now acknowledged through, or 0. */
        long acknowledged(OutboxEntry e) {
            if (sent.peek() != e) {
                if (sent.contains(e)) {
                    ackedAhead.add(e); // out of order: waits for those sent before it
                }
                return 0;
            }
            long through = sent.poll().seq();
            OutboxEntry next;
            while ((next = sent.peek()) != null && ackedAhead.remove(next)) {
                through = sent.poll().seq();
            }
            return through;
        }
    }

    /** A new session: everything waiting goes (again), oldest first. */
    void startSession(HubSession s) {
        inFlight = newInFlight();
        session = s;
        Arrays.fill(cursor, 0);
        ahead.clear();
        aheadKind = null;
        replyCursor = 0;
    }

    /**
     * The broker acknowledged what was published under {@code context} in {@code s}: an event
     * moves its kind's mark in the outbox (with those sent before it), a reply leaves the log's
     * queue (on the link thread). Never blocks for long.
     */
    void acknowledged(HubSession s, Object context) {
        if (context instanceof OutboxEntry entry) {
            if (s != session) {
                return; // a late word from an ended session: its events go again in this one
            }
            long through = inFlight[entry.kind().ordinal()].acknowledged(entry);
            if (through > 0) {
                outbox.acknowledgeThrough(entry.kind(), through);
            }
        } else if (context instanceof CommandLog.PendingReply reply) {
            repliesDelivered.add(reply.id());
        }
    }

    /** Whether {@code left} unacknowledged events leave room for another: after every acknowledgement. */
    boolean wantsRefill(int left) {
        return left <= window - 1;
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
        int free = window - s.inflight.get();
        for (EventKind kind : KINDS) {
            if (free <= 0) {
                return;
            }
            int k = kind.ordinal();
            boolean readAhead = kind == aheadKind && !ahead.isEmpty();
            if (!readAhead && cursor[k] >= outbox.lastSeq(kind)) {
                continue;
            }
            if (!readAhead && !ahead.isEmpty()) {
                setAsideReadAhead(); // this kind is more urgent than what was read ahead
            }
            String topic = topics.event(kind);
            InFlight sent = inFlight[k];
            while (free > 0 && s.isUp()) {
                if (ahead.isEmpty() && !readPage(kind)) {
                    break;
                }
                OutboxEntry e = ahead.peekFirst();
                sent.add(e); // before the publish: its PUBACK may come before publish returns
                try {
                    s.publishTracked(topic, e.payload(), e);
                } catch (MqttException | RuntimeException ex) {
                    sent.takeBack(e);
                    if (ex instanceof MqttException m && m.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                        return; // Paho's window is full; the next acknowledgement wakes us
                    }
                    throw ex;
                }
                ahead.pollFirst();
                free--;
            }
        }
    }

    /** Reads the next page of {@code kind} into the read-ahead; false when nothing more waits. */
    private boolean readPage(EventKind kind) {
        int k = kind.ordinal();
        while (true) {
            long last = outbox.lastSeq(kind);
            if (cursor[k] >= last) {
                return false;
            }
            OutboxPage page = outbox.read(kind, cursor[k], PAGE, PAGE_BYTES);
            cursor[k] = page.exhausted() ? Math.max(page.lastScanned(), last) : page.lastScanned();
            if (!page.entries().isEmpty()) {
                ahead.addAll(page.entries());
                aheadKind = kind;
                return true;
            }
        }
    }

    /** Forgets the read-ahead: its kind is read again from its first event not sent. */
    private void setAsideReadAhead() {
        cursor[aheadKind.ordinal()] = ahead.peekFirst().seq() - 1;
        ahead.clear();
        aheadKind = null;
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

}
