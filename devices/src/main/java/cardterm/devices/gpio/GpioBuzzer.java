package cardterm.devices.gpio;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/** A {@link Buzzer} on an output pin. */
final class GpioBuzzer extends PatternOutput implements Buzzer {
    private volatile BeepPattern playing = BeepPattern.OFF;

    GpioBuzzer(String deviceId, OutputLine line, String failure, ActiveLevel active,
            ScheduledExecutorService scheduler, Clock clock) {
        super(deviceId, line, failure, active, scheduler, clock);
        playPattern(BeepPattern.OFF.pattern());
    }

    @Override
    public synchronized void play(BeepPattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        playing = pattern;
        playPattern(pattern.pattern());
    }

    @Override
    public BeepPattern playing() {
        return playing;
    }

    @Override
    public synchronized void close() {
        playing = BeepPattern.OFF;
        stopAndClose();
    }

    @Override
    public String toString() {
        return "Buzzer[" + deviceId() + " " + playing + " " + health() + "]";
    }
}
