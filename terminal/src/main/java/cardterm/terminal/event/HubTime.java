package cardterm.terminal.event;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Times as the hub contract writes them: ISO-8601 with milliseconds and the zone offset. */
public final class HubTime {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    private HubTime() {}

    /** Now, in the clock's zone, to the millisecond. */
    public static OffsetDateTime now(Clock clock) {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }

    /** {@code 2026-11-26T10:15:30.123+08:00}. */
    public static String format(OffsetDateTime t) {
        return FORMAT.format(t);
    }

    /** An instant as the contract writes times, in the clock's zone (health, metrics, since). */
    public static String format(Instant t, Clock clock) {
        return format(OffsetDateTime.ofInstant(t, clock.getZone()));
    }
}
