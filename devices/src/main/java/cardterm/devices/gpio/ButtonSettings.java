package cardterm.devices.gpio;

import java.util.Objects;

/**
 * How a call button is wired and timed.
 *
 * @param pull   the input's bias resistor
 * @param active the level that means "pressed"
 * @param timing debounce, long press and stuck times
 */
public record ButtonSettings(Pull pull, ActiveLevel active, ButtonTiming timing) {
    /** Button to ground with the internal pull-up (active LOW), default timing. */
    public static final ButtonSettings DEFAULT = new ButtonSettings(Pull.UP, ActiveLevel.LOW, ButtonTiming.DEFAULT);

    public ButtonSettings {
        Objects.requireNonNull(pull, "pull");
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(timing, "timing");
    }

    public ButtonSettings withTiming(ButtonTiming newTiming) {
        return new ButtonSettings(pull, active, newTiming);
    }
}
