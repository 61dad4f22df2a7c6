package cardterm.devices.gpio;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/** A {@link Lamp} on an output pin. */
final class GpioLamp extends PatternOutput implements Lamp {
    private volatile LampPattern showing = LampPattern.OFF;

    GpioLamp(String deviceId, OutputLine line, String failure, ActiveLevel active,
            ScheduledExecutorService scheduler, Clock clock) {
        super(deviceId, line, failure, active, scheduler, clock);
        playPattern(LampPattern.OFF.pattern());
    }

    @Override
    public synchronized void show(LampPattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern == showing) {
            return;
        }
        showing = pattern;
        playPattern(pattern.pattern());
    }

    @Override
    public LampPattern showing() {
        return showing;
    }

    @Override
    public synchronized void close() {
        showing = LampPattern.OFF;
        stopAndClose();
    }

    @Override
    public String toString() {
        return "Lamp[" + deviceId() + " " + showing + " " + health() + "]";
    }
}
