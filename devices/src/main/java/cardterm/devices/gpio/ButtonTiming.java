package cardterm.devices.gpio;

import cardterm.devices.check.Problems;
import java.time.Duration;

/**
 * The times a call button works by.
 *
 * @param debounce   how long the line must stay released before a release counts; contact
 *                   bounce and chatter shorter than this are part of one press
 * @param longPress  held this long: LONG_PRESS (the caller cancels the call)
 * @param stuckAfter held this long: STUCK (the button reports DEGRADED/STUCK and is ignored
 *                   until released)
 */
public record ButtonTiming(Duration debounce, Duration longPress, Duration stuckAfter) {
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(30);
    public static final Duration DEFAULT_LONG_PRESS = Duration.ofSeconds(3);
    public static final Duration DEFAULT_STUCK_AFTER = Duration.ofSeconds(30);

    /** 30 ms debounce, 3 s long press, stuck after 30 s. */
    public static final ButtonTiming DEFAULT =
            new ButtonTiming(DEFAULT_DEBOUNCE, DEFAULT_LONG_PRESS, DEFAULT_STUCK_AFTER);

    public ButtonTiming {
        Problems problems = check(debounce, longPress, stuckAfter);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid button timing: " + problems);
        }
    }

    /** Every problem of these times at once (empty if they are fine). */
    public static Problems check(Duration debounce, Duration longPress, Duration stuckAfter) {
        Problems p = new Problems();
        if (debounce == null) {
            p.add("debounce", "is missing");
        } else if (debounce.isNegative()) {
            p.add("debounce", "must not be negative, is " + debounce.toMillis() + " ms");
        }
        if (longPress == null) {
            p.add("longPress", "is missing");
        } else if (!longPress.isPositive()) {
            p.add("longPress", "must be positive, is " + longPress.toMillis() + " ms");
        } else if (debounce != null && longPress.compareTo(debounce) <= 0) {
            p.add("longPress", "must be longer than debounce (" + debounce.toMillis() + " ms), is "
                    + longPress.toMillis() + " ms");
        }
        if (stuckAfter == null) {
            p.add("stuckAfter", "is missing");
        } else if (longPress != null && stuckAfter.compareTo(longPress) <= 0) {
            p.add("stuckAfter", "must be longer than longPress (" + longPress.toMillis() + " ms), is "
                    + stuckAfter.toMillis() + " ms");
        }
        return p;
    }
}
