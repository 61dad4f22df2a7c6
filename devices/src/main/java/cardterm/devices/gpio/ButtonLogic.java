package cardterm.devices.gpio;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The pure core of a call button: fed the line's (active, time) changes and clock ticks, it tells
 * PRESSED, RELEASED, LONG_PRESS and STUCK. No threads, no clock of its own: whoever drives it asks
 * {@link #nextDeadline()} and ticks it then.
 *
 * <p>Debounce is asymmetric, for callers who press with a trembling hand: the first contact after
 * a settled release is a press at once (the caller is confirmed without delay); the press ends
 * only once the line has stayed released for the debounce time, so contact bounce and chatter -
 * even 100 contacts a second - are one press. Hold times count from the first contact.
 *
 * <p>A button already held when watching starts is not a press (nobody saw it begin) but can
 * still get STUCK. Once STUCK, nothing more is told until the line settles released.
 *
 * <p>Not thread-safe: the adapter that drives it serialises calls.
 */
final class ButtonLogic {
    private final String buttonId;
    private final ButtonTiming timing;

    private boolean raw;
    private Instant rawSince;
    private boolean held;
    private Instant pressStart;
    private boolean announced;
    private boolean longFired;
    private boolean stuck;

    /**
     * @param buttonId the button's device id, put in its events
     * @param timing   debounce, long press and stuck times
     * @param active   whether the line is active (pressed) when watching starts
     * @param now      when watching starts
     */
    public ButtonLogic(String buttonId, ButtonTiming timing, boolean active, Instant now) {
        this.buttonId = Objects.requireNonNull(buttonId, "buttonId");
        this.timing = Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(now, "now");
        this.raw = active;
        this.rawSince = now;
        this.held = active;
        this.pressStart = active ? now : null;
        this.announced = false;
    }

    /**
     * The line is now {@code active} (or still is: repeats are harmless), seen at {@code at}.
     *
     * @return the events this change makes due, in order
     */
    public List<ButtonEvent> level(boolean active, Instant at) {
        Objects.requireNonNull(at, "at");
        List<ButtonEvent> out = new ArrayList<>(2);
        advance(at, out);
        if (active != raw) {
            raw = active;
            rawSince = at;
            if (active && !held) {
                held = true;
                pressStart = at;
                announced = true;
                longFired = false;
                stuck = false;
                out.add(event(ButtonEventType.PRESSED, at, Duration.ZERO));
            }
            advance(at, out);
        }
        return out;
    }

    /** Time has come to {@code now}: the events due by then, in order. */
    public List<ButtonEvent> tick(Instant now) {
        Objects.requireNonNull(now, "now");
        List<ButtonEvent> out = new ArrayList<>(2);
        advance(now, out);
        return out;
    }

    /** When the next event may fall due with no change of the line, if any: tick then. */
    public Optional<Instant> nextDeadline() {
        if (!held) {
            return Optional.empty();
        }
        if (!raw) {
            return Optional.of(rawSince.plus(timing.debounce()));
        }
        if (announced && !longFired && !stuck) {
            return Optional.of(pressStart.plus(timing.longPress()));
        }
        if (!stuck) {
            return Optional.of(pressStart.plus(timing.stuckAfter()));
        }
        return Optional.empty();
    }

    /** Whether the button counts as held (debounced). */
    public boolean held() {
        return held;
    }

    /** Whether the button has been held past the stuck limit and not yet released. */
    public boolean stuck() {
        return stuck;
    }

    private void advance(Instant now, List<ButtonEvent> out) {
        if (!held) {
            return;
        }
        // While a release is pending, the button was held physically only until the line let go.
        Instant heldUntil = raw ? now : min(now, rawSince);
        Duration heldFor = Duration.between(pressStart, heldUntil);
        if (announced && !longFired && !stuck && heldFor.compareTo(timing.longPress()) >= 0) {
            longFired = true;
            out.add(event(ButtonEventType.LONG_PRESS, pressStart.plus(timing.longPress()), timing.longPress()));
        }
        if (!stuck && heldFor.compareTo(timing.stuckAfter()) >= 0) {
            stuck = true;
            out.add(event(ButtonEventType.STUCK, pressStart.plus(timing.stuckAfter()), timing.stuckAfter()));
        }
        if (!raw) {
            Instant settled = rawSince.plus(timing.debounce());
            if (!now.isBefore(settled)) {
                boolean wasAnnounced = announced;
                Duration total = Duration.between(pressStart, rawSince);
                held = false;
                announced = false;
                longFired = false;
                stuck = false;
                pressStart = null;
                if (wasAnnounced) {
                    out.add(event(ButtonEventType.RELEASED, settled, total));
                }
            }
        }
    }

    private ButtonEvent event(ButtonEventType type, Instant at, Duration heldFor) {
        return new ButtonEvent(buttonId, type, at, heldFor);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
