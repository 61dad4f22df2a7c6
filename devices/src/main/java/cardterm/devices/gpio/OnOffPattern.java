package cardterm.devices.gpio;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A pure definition of what an on/off output (lamp, buzzer) does over time: steps played in
 * order, then either played again ({@code repeat}) or left at {@code restOn}. With no steps the
 * output simply stays at {@code restOn}.
 */
record OnOffPattern(List<Step> steps, boolean repeat, boolean restOn) {
    /** Output on or off for a while. */
    public record Step(boolean on, Duration duration) {
        public Step {
            Objects.requireNonNull(duration, "duration");
            if (!duration.isPositive()) {
                throw new IllegalArgumentException("a step lasts a positive time, got " + duration);
            }
        }
    }

    public OnOffPattern {
        steps = List.copyOf(steps);
        if (repeat && steps.isEmpty()) {
            throw new IllegalArgumentException("a repeating pattern needs at least one step");
        }
    }

    /** Output held at {@code on}. */
    public static OnOffPattern steady(boolean on) {
        return new OnOffPattern(List.of(), false, on);
    }

    /** On for {@code onMs}, off for {@code offMs}, forever. */
    public static OnOffPattern blink(long onMs, long offMs) {
        return new OnOffPattern(List.of(on(onMs), off(offMs)), true, false);
    }

    public static Step on(long ms) {
        return new Step(true, Duration.ofMillis(ms));
    }

    public static Step off(long ms) {
        return new Step(false, Duration.ofMillis(ms));
    }

    /** How long one pass of the steps lasts. */
    public Duration period() {
        return steps.stream().map(Step::duration).reduce(Duration.ZERO, Duration::plus);
    }
}
