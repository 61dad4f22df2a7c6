package cardterm.terminal.hub;

import cardterm.terminal.store.CommandLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The request ids a terminal has seen in the replay window, each with its body's hash and, once
 * stored, its reply. The terminal's is {@link #durable} (a restart forgets nothing);
 * {@link #inMemory} serves tools and tests.
 */
public interface RequestMemory {
    /** What is known of an id. */
    sealed interface Seen {}

    /** Not seen within the window. */
    record Unknown() implements Seen {}

    /** Seen with another body. */
    record OtherBody() implements Seen {}

    /** Seen with this body; the reply if it was stored. */
    record SameBody(Optional<byte[]> reply) implements Seen {}

    Seen lookup(String requestId, byte[] bodySha256);

    /** Records the id before its command takes effect; false when the memory is full (nothing recorded). */
    boolean received(String requestId, byte[] bodySha256, int maxRemembered);

    /** Keeps the reply of a received id, for repeats. */
    void replied(String requestId, byte[] reply);

    /** Ids held in the window now. */
    long remembered();

    /** Backed by the terminal's database. */
    static RequestMemory durable(CommandLog log) {
        Objects.requireNonNull(log, "log");
        return new RequestMemory() {
            @Override
            public Seen lookup(String requestId, byte[] bodySha256) {
                return switch (log.lookup(requestId, bodySha256)) {
                    case CommandLog.Unknown u -> new Unknown();
                    case CommandLog.OtherBody o -> new OtherBody();
                    case CommandLog.SameBody s -> new SameBody(s.reply());
                };
            }

            @Override
            public boolean received(String requestId, byte[] bodySha256, int maxRemembered) {
                return log.received(requestId, bodySha256, maxRemembered);
            }

            @Override
            public void replied(String requestId, byte[] reply) {
                log.remember(requestId, reply);
            }

            @Override
            public long remembered() {
                return log.remembered();
            }
        };
    }

    /** Held in memory only: forgotten at restart. */
    static RequestMemory inMemory(Clock clock, Duration window) {
        return new InMemory(clock, window);
    }

    /** The in-memory memory: insertion order is time order. */
    final class InMemory implements RequestMemory {
        private record Entry(byte[] hash, Instant at, byte[] reply) {}

        private final Clock clock;
        private final Duration window;
        private final LinkedHashMap<String, Entry> seen = new LinkedHashMap<>();

        InMemory(Clock clock, Duration window) {
            this.clock = Objects.requireNonNull(clock, "clock");
            this.window = Objects.requireNonNull(window, "window");
        }

        @Override
        public synchronized Seen lookup(String requestId, byte[] bodySha256) {
            forgetOld();
            Entry e = seen.get(requestId);
            if (e == null) {
                return new Unknown();
            }
            return Arrays.equals(e.hash(), bodySha256) ? new SameBody(Optional.ofNullable(e.reply()))
                    : new OtherBody();
        }

        @Override
        public synchronized boolean received(String requestId, byte[] bodySha256, int maxRemembered) {
            forgetOld();
            if (seen.size() >= maxRemembered) {
                return false;
            }
            seen.put(requestId, new Entry(bodySha256.clone(), clock.instant(), null));
            return true;
        }

        @Override
        public synchronized void replied(String requestId, byte[] reply) {
            Entry e = seen.get(requestId);
            if (e != null) {
                seen.put(requestId, new Entry(e.hash(), e.at(), reply.clone()));
            }
        }

        @Override
        public synchronized long remembered() {
            forgetOld();
            return seen.size();
        }

        private void forgetOld() {
            Instant limit = clock.instant().minus(window);
            Iterator<Map.Entry<String, Entry>> it = seen.entrySet().iterator();
            while (it.hasNext()) {
                // insertion order is time order unless the clock stepped back: stop at the first young one
                if (it.next().getValue().at().isBefore(limit)) {
                    it.remove();
                } else {
                    break;
                }
            }
        }
    }
}
