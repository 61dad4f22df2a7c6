package cardterm.devices.gpio;

import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Which GPIO the call buttons, lamps and buzzers are on: real pins through libgpiod on a chip, or
 * Pi4J's mock pins.
 */
public record GpioSettings(Provider provider, String chip) {
    public static final String DEFAULT_CHIP = "gpiochip0";

    public GpioSettings {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(chip, "chip");
    }

    /** Real pins, or mock ones. */
    public enum Provider {
        GPIOD, MOCK;

        /** As written in a config: {@code gpiod}, {@code mock}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The board these settings name; it reports missing hardware as its health, never throws for it. */
    public GpioBoard board(ScheduledExecutorService scheduler, Clock clock) {
        return provider == Provider.GPIOD ? GpioBoard.gpiod(chip, scheduler, clock) : GpioBoard.mock(scheduler, clock);
    }
}
