package cardterm.terminal.systemd;

import cardterm.terminal.hub.HubLink;
import cardterm.terminal.issuance.IssuanceService;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

    /** Watches the scheduler and the hub link in {@code liveness}. */
    public static void watch(Liveness liveness, ScheduledExecutorService scheduler, HubLink hub) {
        Liveness.Beat sched = liveness.register("scheduler", SCHEDULER_ALLOWED);
        scheduler.scheduleAtFixedRate(sched::beat, 0, SCHEDULER_BEAT.toMillis(), TimeUnit.MILLISECONDS);
        // a turn of the link loop is at most ~1 s, or one connection attempt (connect + subscribe)
        Duration hubAllowed = hub.settings().connectTimeout().plusSeconds(2).multipliedBy(2).plusSeconds(60);
        liveness.watch("hub-link", hubAllowed, hub::loopHeartbeatNanos);
    }

    /**
     * Watches the issuance worker. A step may rightly take up to {@code longestStep} (a mechanical
     * printer step's timeout; recovery retries {@code Er} for about a minute), so it may stay
     * silent for twice that plus a minute.
     */
    public static void watch(Liveness liveness, IssuanceService issuance, Duration longestStep) {
        liveness.watch("issuance", longestStep.multipliedBy(2).plusSeconds(60), issuance::loopHeartbeatNanos);
    }
}
