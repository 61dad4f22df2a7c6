package cardterm.terminal.assist;

import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventSink;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link EventSink} for tests: keeps what it is given, in order, with gap-free seq.
 * {@link #hold()} makes publish block (a slow disk, a stuck outbox) until {@link #release()}.
 */
final class RecordingEventSink implements EventSink {
    private final List<EventEnvelope> events = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile CountDownLatch gate;
    private final AtomicLong blocked = new AtomicLong();

    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** How many publish calls are waiting at the gate now. */
    long blockedCalls() {
        return blocked.get();
    }

    @Override
    public EventEnvelope publish(String type, ObjectNode data) {
        CountDownLatch g = gate;
        if (g != null) {
            blocked.incrementAndGet();
            try {
                if (!g.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test sink held for 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                blocked.decrementAndGet();
            }
        }
        EventEnvelope env = new EventEnvelope(UUID.randomUUID().toString(), seq.incrementAndGet(),
                OffsetDateTime.now(ZoneOffset.ofHours(8)), type, "t-0042", "wz-lucheng-01", data);
        events.add(env);
        return env;
    }

    List<EventEnvelope> events() {
        return List.copyOf(events);
    }

    List<String> types() {
        return events.stream().map(EventEnvelope::type).toList();
    }

    EventEnvelope last(String type) {
        List<EventEnvelope> all = events.stream().filter(e -> e.type().equals(type)).toList();
        if (all.isEmpty()) {
            throw new AssertionError("no " + type + " event; got " + types());
        }
        return all.get(all.size() - 1);
    }
}
