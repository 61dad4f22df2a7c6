package cardterm.terminal.store;

import java.util.List;

/**
 * One page read from the outbox.
 *
 * @param entries the events to send, in seq order (acknowledged ones left out)
 * @param lastScanned the highest seq the read went through (the next read starts after it)
 * @param exhausted whether the read reached the end of what was stored of that kind
 */
public record OutboxPage(List<OutboxEntry> entries, long lastScanned, boolean exhausted) {
    public OutboxPage {
        entries = List.copyOf(entries);
    }
}
