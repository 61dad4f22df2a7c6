package cardterm.devices.gpio;

import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTrackedDevice;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What lamps and buzzers share: an output pin (or none, if it could not be opened), its active
 * level, a {@link PatternPlayer} and health. A failed write makes the device OFFLINE/
 * COMMUNICATION_ERROR until a write works again.
 */
abstract class PatternOutput extends HealthTrackedDevice {
    private static final Logger log = LoggerFactory.getLogger(PatternOutput.class);

    private final OutputLine line;
    private final ActiveLevel active;
    private final PatternPlayer player;

    /**
     * @param line   the pin, or {@code null} if it could not be opened ({@code failure} says why)
     * @param failure why the pin could not be opened, or {@code null}
     */
    PatternOutput(String deviceId, OutputLine line, String failure, ActiveLevel active,
            ScheduledExecutorService scheduler, Clock clock) {
        super(deviceId, clock);
        this.line = line;
        this.active = active;
        this.player = new PatternPlayer(this::write, scheduler);
        if (line == null) {
            health.set(HealthReason.CONFIGURATION_ERROR, failure);
        } else {
            health.online();
        }
    }

    final void playPattern(OnOffPattern pattern) {
        player.play(pattern);
    }

    final void stopAndClose() {
        player.stop();
        if (line != null) {
            line.close();
        }
    }

    private void write(boolean on) {
        if (line == null) {
            return;
        }
        try {
            line.set(active.levelFor(on));
            if (health.current().reason() == HealthReason.COMMUNICATION_ERROR) {
                health.online();
            }
        } catch (GpioLineException e) {
            if (health.current().reason() != HealthReason.COMMUNICATION_ERROR) {
                log.warn("{}: write failed: {}", health.deviceId(), e.getMessage());
            }
            health.set(HealthReason.COMMUNICATION_ERROR, e.getMessage());
        }
    }
}
