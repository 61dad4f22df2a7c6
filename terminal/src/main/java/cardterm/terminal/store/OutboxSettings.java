package cardterm.terminal.store;

import cardterm.devices.check.Problems;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the outbox frames and bounds events.
 *
 * @param site the site id of the envelope ({@link cardterm.terminal.Ids#SEGMENT})
 * @param terminal the terminal id of the envelope (same pattern)
 * @param maxEntries the most events kept; beyond it the oldest of the lowest priority are dropped
 * @param queueCapacity the most publishes waiting for the writer; more callers wait for room
 * @param publishTimeout how long {@code publish} waits for room and for its commit before it fails
 */
public record OutboxSettings(String site, String terminal, long maxEntries, int queueCapacity, Duration publishTimeout) {
    /** Site and terminal ids as the hub contract has them. */
    public static final Pattern ID = cardterm.terminal.Ids.SEGMENT;

    public static final long DEFAULT_MAX_ENTRIES = 500_000;
    public static final int DEFAULT_QUEUE_CAPACITY = 8192;
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    public OutboxSettings {
        Problems p = new Problems();
        if (site == null || !ID.matcher(site).matches()) {
            p.add("site", "must match " + ID.pattern());
        }
        if (terminal == null || !ID.matcher(terminal).matches()) {
            p.add("terminal", "must match " + ID.pattern());
        }
        if (maxEntries < 10) {
            p.add("maxEntries", "must be at least 10, got " + maxEntries);
        }
        if (queueCapacity < 1) {
            p.add("queueCapacity", "must be at least 1, got " + queueCapacity);
        }
        if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
            p.add("publishTimeout", "must be positive");
        }
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("invalid outbox settings: " + p);
        }
    }

    /** Defaults for everything but the ids. */
    public static OutboxSettings of(String site, String terminal) {
        return new OutboxSettings(site, terminal, DEFAULT_MAX_ENTRIES, DEFAULT_QUEUE_CAPACITY, DEFAULT_PUBLISH_TIMEOUT);
    }

    public OutboxSettings withMaxEntries(long max) {
        return new OutboxSettings(site, terminal, max, queueCapacity, publishTimeout);
    }

    public OutboxSettings withQueueCapacity(int capacity) {
        return new OutboxSettings(site, terminal, maxEntries, capacity, publishTimeout);
    }

    public OutboxSettings withPublishTimeout(Duration timeout) {
        return new OutboxSettings(site, terminal, maxEntries, queueCapacity, Objects.requireNonNull(timeout));
    }
}
