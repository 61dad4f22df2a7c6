package cardterm.devices.gpio;

import java.util.List;

/** What a call point's buzzer sounds. Beeps are long enough for callers who hear poorly. */
public enum BeepPattern {
    /** Silent. */
    OFF(OnOffPattern.steady(false)),
    /** One clear beep of half a second (a press is registered). */
    ONE(new OnOffPattern(List.of(OnOffPattern.on(500)), false, false)),
    /** Two beeps (a call is acknowledged). */
    TWO(new OnOffPattern(List.of(OnOffPattern.on(250), OnOffPattern.off(200), OnOffPattern.on(250)), false, false)),
    /** Three beeps and a pause, over and over until told otherwise (a call is escalated). */
    ALERT(new OnOffPattern(List.of(
            OnOffPattern.on(200), OnOffPattern.off(150),
            OnOffPattern.on(200), OnOffPattern.off(150),
            OnOffPattern.on(200), OnOffPattern.off(1100)), true, false));

    private final OnOffPattern pattern;

    BeepPattern(OnOffPattern pattern) {
        this.pattern = pattern;
    }

    OnOffPattern pattern() {
        return pattern;
    }
}
