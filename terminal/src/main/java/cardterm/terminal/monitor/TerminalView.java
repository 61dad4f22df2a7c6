package cardterm.terminal.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a technician sees of one terminal, from its retained {@code state} and {@code health} and
 * the events seen while watching. Immutable.
 *
 * @param site the site
 * @param terminal the terminal id
 * @param online true/false from {@code state}; empty when no state was seen
 * @param since when it went online ({@code startedAt}/{@code ts}) or offline (when the will or
 *     offline state arrived, or its {@code ts})
 * @param version the software version while online
 * @param status the overall health status ({@code ONLINE}, {@code DEGRADED}, ...), empty without health
 * @param healthAt when the health was made
 * @param devices each device's state, reason and message
 * @param supplies each supply's level
 * @param backlog events waiting in the terminal's outbox, -1 if unknown
 * @param oldestAgeMs age of the oldest waiting event, -1 if none or unknown
 * @param lastEvent the last event seen (type and time)
 * @param problems what needs a technician, most serious first; empty when all is well
 */
public record TerminalView(String site, String terminal, Optional<Boolean> online, Optional<Instant> since,
        String version, Optional<String> status, Optional<Instant> healthAt, Map<String, Device> devices,
        List<Supply> supplies, long backlog, long oldestAgeMs, Optional<LastEvent> lastEvent, List<String> problems) {

    public TerminalView {
        devices = Map.copyOf(devices);
        supplies = List.copyOf(supplies);
        problems = List.copyOf(problems);
    }

    /** A device's health as published. */
    public record Device(String state, String reason, String message) {}

    /** A supply's level as published. */
    public record Supply(String device, String supply, String level, Optional<Long> left) {}

    /** The last event seen. */
    public record LastEvent(String type, Instant at) {}

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    static Optional<Instant> instant(JsonNode n) {
        if (n == null || !n.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(n.asText()).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(n.asText()));
            } catch (java.time.format.DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
