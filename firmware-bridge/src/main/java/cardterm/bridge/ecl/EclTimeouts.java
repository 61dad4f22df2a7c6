package cardterm.bridge.ecl;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How long an {@link EclSession} waits for answers, and how hard it retries.
 *
 * @param query        read and setting commands ({@code Rfv}, {@code Rst}, {@code Pem}...)
 * @param mechanical   {@code Sic}, {@code Ss}, {@code Se}, {@code Eo}, {@code Er}: they answer when the card has moved
 * @param downloadBase {@code Db}: fixed part, to which the data time at {@code downloadMinBytesPerSecond} is added
 * @param downloadMinBytesPerSecond slowest link speed a {@code Db} is allowed
 * @param perCommand   overrides by command name (e.g. a colour {@code Se})
 * @param queryRetries extra attempts after a timeout or a framing error, for idempotent reads only
 * @param drainQuiet   after a timeout, the line counts as drained when quiet this long
 * @param drainMax     drain for at most this long
 */
public record EclTimeouts(
        Duration query,
        Duration mechanical,
        Duration downloadBase,
        int downloadMinBytesPerSecond,
        Map<String, Duration> perCommand,
        int queryRetries,
        Duration drainQuiet,
        Duration drainMax) {

    public EclTimeouts {
        positive(query, "query");
        positive(mechanical, "mechanical");
        positive(downloadBase, "downloadBase");
        positive(drainQuiet, "drainQuiet");
        positive(drainMax, "drainMax");
        perCommand = Map.copyOf(perCommand);
        perCommand.forEach((k, v) -> positive(v, "timeout of " + k));
        if (downloadMinBytesPerSecond <= 0) {
            throw new IllegalArgumentException("downloadMinBytesPerSecond must be positive");
        }
        if (queryRetries < 0 || queryRetries > 5) {
            throw new IllegalArgumentException("queryRetries must be 0..5: " + queryRetries);
        }
    }

    /** Queries 2 s, mechanical steps 90 s, Db 5 s + 5 kB/s, 2 query retries, drain 50 ms quiet / 1 s max. */
    public static EclTimeouts defaults() {
        return new EclTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(90), Duration.ofSeconds(5), 5_000,
                Map.of(), 2, Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    public EclTimeouts withQuery(Duration d) {
        return new EclTimeouts(d, mechanical, downloadBase, downloadMinBytesPerSecond, perCommand, queryRetries,
                drainQuiet, drainMax);
    }

    public EclTimeouts withMechanical(Duration d) {
        return new EclTimeouts(query, d, downloadBase, downloadMinBytesPerSecond, perCommand, queryRetries,
                drainQuiet, drainMax);
    }

    public EclTimeouts withQueryRetries(int n) {
        return new EclTimeouts(query, mechanical, downloadBase, downloadMinBytesPerSecond, perCommand, n,
                drainQuiet, drainMax);
    }

    public EclTimeouts withCommand(String name, Duration d) {
        var m = new java.util.HashMap<>(perCommand);
        m.put(name, d);
        return new EclTimeouts(query, mechanical, downloadBase, downloadMinBytesPerSecond, m, queryRetries,
                drainQuiet, drainMax);
    }

    /** The timeout for {@code command} carrying {@code dataBytes} bytes of data. */
    public Duration timeoutFor(EclCommand command, int dataBytes) {
        Duration d = perCommand.get(command.name());
        if (d != null) {
            return d;
        }
        if (command.isMechanical()) {
            return mechanical;
        }
        if (command.isDownload()) {
            return downloadBase.plusMillis(dataBytes * 1000L / downloadMinBytesPerSecond);
        }
        return query;
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }
}
