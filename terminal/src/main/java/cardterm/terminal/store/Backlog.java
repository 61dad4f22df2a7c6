package cardterm.terminal.store;

import cardterm.terminal.event.EventKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the outbox holds for the broker, for health: how many events (in all and by kind) and how
 * old the oldest one is.
 *
 * @param count events waiting
 * @param byKind events waiting of each kind (every kind present, 0 if none)
 * @param oldest when the oldest waiting event was stored, empty if none waits
 * @param oldestAge how long the oldest has waited, zero if none waits
 */
public record Backlog(long count, Map<EventKind, Long> byKind, Optional<Instant> oldest, Duration oldestAge) {
    public Backlog {
        EnumMap<EventKind, Long> copy = new EnumMap<>(EventKind.class);
        for (EventKind k : EventKind.values()) {
            copy.put(k, byKind.getOrDefault(k, 0L));
        }
        byKind = Collections.unmodifiableMap(copy);
    }
}
