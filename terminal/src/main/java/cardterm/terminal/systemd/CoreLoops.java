package cardterm.terminal.systemd;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The terminal's core loops as the watchdog sees them: the shared scheduler (health, assistance
 * calls, metrics run on it; a task that never ends starves it) beats every few seconds, the hub
 * link's own thread reports each turn of its loop, and the issuance worker each turn and each step.
 */
public final class CoreLoops {
    /** How often the scheduler beats. */
    static final Duration SCHEDULER_BEAT = Duration.ofSeconds(5);
    /** How long the scheduler may stay silent. */
    static final Duration SCHEDULER_ALLOWED = Duration.ofSeconds(60);

    private CoreLoops() {}

    /** Watches the shared scheduler in {@code liveness}: a task of it beats every few seconds. */
    public static void watchScheduler(Liveness liveness, ScheduledExecutorService scheduler) {
        Liveness.Beat sched = liveness.register("scheduler", SCHEDULER_ALLOWED);
        scheduler.scheduleAtFixedRate(sched::beat, 0, SCHEDULER_BEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Watches the hub link's thread, whose {@code heartbeatNanos} moves at each turn of its loop:
     * at most about a second, or one connection attempt (connect + subscribe, each within
     * {@code connectTimeout} plus 2 s).
     */
    public static void watchHubLink(Liveness liveness, Duration connectTimeout, LongSupplier heartbeatNanos) {
        Duration hubAllowed = connectTimeout.plusSeconds(2).multipliedBy(2).plusSeconds(60);
        liveness.watch("hub-link", hubAllowed, heartbeatNanos);
    }

    /**
     * Watches the issuance worker. A step may rightly take up to {@code longestStep} (a mechanical
     * printer step's timeout; recovery retries {@code Er} for about a minute), so it may stay
     * silent for twice that plus a minute.
     */
    public static void watchIssuance(Liveness liveness, Duration longestStep, LongSupplier heartbeatNanos) {
        liveness.watch("issuance", longestStep.multipliedBy(2).plusSeconds(60), heartbeatNanos);
    }
}
