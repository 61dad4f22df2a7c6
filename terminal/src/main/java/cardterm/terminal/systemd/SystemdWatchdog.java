package cardterm.terminal.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds systemd's watchdog ({@code WatchdogSec=} in the unit) only while the terminal's core loops
 * are alive ({@link Liveness}): every half watchdog period it checks them and sends
 * {@code WATCHDOG=1} when none is hung. When one is, it stops feeding and says which in the
 * status line; systemd then kills and restarts the service. Runs on its own daemon thread, not a
 * shared scheduler, so a hung scheduler cannot keep it quiet or fake life.
 */
public final class SystemdWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdWatchdog.class);

    private final SdNotify notify;
    private final Liveness liveness;
    private final ScheduledExecutorService timer;
    private volatile List<Liveness.Hung> lastHung = List.of();

    private SystemdWatchdog(SdNotify notify, Liveness liveness, Duration period) {
        this.notify = notify;
        this.liveness = liveness;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("systemd-watchdog").unstarted(r));
        long every = Math.max(100, period.toMillis() / 2);
        timer.scheduleAtFixedRate(this::check, 0, every, TimeUnit.MILLISECONDS);
        log.info("feeding the systemd watchdog every {} ms while {} are alive", every, liveness.loops());
    }

    /**
     * Starts feeding when systemd asks for a watchdog for this process; otherwise returns a
     * watchdog that does nothing.
     */
    public static SystemdWatchdog start(SdNotify notify, Liveness liveness) {
        Objects.requireNonNull(liveness);
        if (!notify.enabled() || notify.watchdogInterval().isEmpty()) {
            return new SystemdWatchdog(notify, liveness);
        }
        return new SystemdWatchdog(notify, liveness, notify.watchdogInterval().get());
    }

    private SystemdWatchdog(SdNotify notify, Liveness liveness) {
        this.notify = notify;
        this.liveness = liveness;
        this.timer = null;
    }

    /** Whether it feeds a watchdog. */
    public boolean active() {
        return timer != null;
    }

    /** One check: feeds the watchdog when every loop is alive. Returns the hung loops. */
    List<Liveness.Hung> check() {
        try {
            List<Liveness.Hung> hung = liveness.hung();
            if (hung.isEmpty()) {
                notify.watchdog();
                if (!lastHung.isEmpty()) {
                    log.warn("core loops alive again; feeding the watchdog");
                    notify.status("running");
                }
            } else if (!names(hung).equals(names(lastHung))) {
                log.error("core loop hung, not feeding the systemd watchdog (the service will be restarted): {}",
                        hung);
                notify.status("hung: " + hung);
            }
            lastHung = hung;
            return hung;
        } catch (RuntimeException e) {
            log.error("watchdog check failed", e);
            return List.of();
        }
    }

    private static List<String> names(List<Liveness.Hung> hung) {
        return hung.stream().map(Liveness.Hung::loop).toList();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
