package cardterm.devices.gpio;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One thing a call button did.
 *
 * @param buttonId the button's device id
 * @param type     what it did
 * @param at       when it happened: the contact for PRESSED, the end of the debounce time for
 *                 RELEASED, the moment the threshold was reached for LONG_PRESS and STUCK
 * @param held     how long the button had been held at that moment (zero for PRESSED)
 */
public record ButtonEvent(String buttonId, ButtonEventType type, Instant at, Duration held) {
    public ButtonEvent {
        Objects.requireNonNull(buttonId, "buttonId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(held, "held");
    }
}
