package cardterm.devices.gpio;

import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTrackedDevice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CallButton} on an input pin: feeds {@link ButtonLogic} the pin's level changes (stamped
 * by the clock) and ticks it on the scheduler at its next deadline. Events go to listeners in
 * order, under this button's lock.
 */
final class GpioCallButton extends HealthTrackedDevice implements CallButton {
    private static final Logger log = LoggerFactory.getLogger(GpioCallButton.class);

    private final InputLine line;
    private final ButtonSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final List<ButtonListener> listeners = new CopyOnWriteArrayList<>();

    private ButtonLogic logic;
    private ScheduledFuture<?> tick;
    private Instant tickAt;
    private boolean closed;

    /**
     * @param line    the pin, or {@code null} if it could not be opened ({@code failure} says why)
     * @param failure why the pin could not be opened, or {@code null}
     */
    GpioCallButton(String deviceId, InputLine line, String failure, ButtonSettings settings,
            ScheduledExecutorService scheduler, Clock clock) {
        super(deviceId, clock);
        this.line = line;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (line == null) {
            health.set(HealthReason.CONFIGURATION_ERROR, failure);
            return;
        }
        synchronized (this) {
            // Listen first, then read: levels are absolute, so a change racing the read is harmless.
            line.onChange(this::levelChanged);
            boolean active = settings.active().isActive(line.isHigh());
            logic = new ButtonLogic(deviceId, settings.timing(), active, clock.instant());
            health.online();
            reschedule();
        }
    }

    private void levelChanged(boolean high) {
        synchronized (this) {
            if (logic == null || closed) {
                return;
            }
            handle(logic.level(settings.active().isActive(high), clock.instant()));
        }
    }

    private void onTick() {
        synchronized (this) {
            tick = null;
            tickAt = null;
            if (logic == null || closed) {
                return;
            }
            handle(logic.tick(clock.instant()));
        }
    }

    // Called holding the lock.
    private void handle(List<ButtonEvent> events) {
        for (ButtonEvent e : events) {
            if (e.type() == ButtonEventType.STUCK) {
                log.warn("{}: held for {} s: stuck, ignored until released", deviceId(), e.held().toSeconds());
                health.set(HealthReason.STUCK, "held for " + e.held().toSeconds() + " s");
            }
            for (ButtonListener l : listeners) {
                try {
                    l.onButtonEvent(e);
                } catch (RuntimeException ex) {
                    log.error("{}: listener failed on {}", deviceId(), e.type(), ex);
                }
            }
        }
        if (!logic.stuck() && health.current().reason() == HealthReason.STUCK) {
            log.info("{}: released, no longer stuck", deviceId());
            health.online();
        }
        reschedule();
    }

    // Called holding the lock: one pending tick at most, at the logic's next deadline.
    private void reschedule() {
        Optional<Instant> next = logic.nextDeadline();
        if (next.isPresent() && next.get().equals(tickAt) && tick != null) {
            return;
        }
        if (tick != null) {
            tick.cancel(false);
            tick = null;
            tickAt = null;
        }
        if (next.isEmpty() || closed) {
            return;
        }
        long delayNanos = Math.max(0, Duration.between(clock.instant(), next.get()).toNanos());
        try {
            tick = scheduler.schedule(this::onTick, delayNanos, TimeUnit.NANOSECONDS);
            tickAt = next.get();
        } catch (RejectedExecutionException e) {
            log.debug("{}: scheduler shut down, no more ticks", deviceId());
        }
    }

    @Override
    public void addListener(ButtonListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public synchronized boolean held() {
        return logic != null && logic.held();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (tick != null) {
                tick.cancel(false);
                tick = null;
            }
        }
        if (line != null) {
            line.close();
        }
    }

    @Override
    public String toString() {
        return "CallButton[" + deviceId() + " " + health() + "]";
    }
}
