package cardterm.devices.gpio;

/** What a call point's lamp shows. */
public enum LampPattern {
    /** Dark. */
    OFF(OnOffPattern.steady(false)),
    /** Lit steadily (a call is acknowledged: help is coming). */
    ON(OnOffPattern.steady(true)),
    /** Blinks once a second (a call is waiting). */
    SLOW(OnOffPattern.blink(500, 500)),
    /** Blinks four times a second (a call is escalated). */
    FAST(OnOffPattern.blink(125, 125));

    private final OnOffPattern pattern;

    LampPattern(OnOffPattern pattern) {
        this.pattern = pattern;
    }

    OnOffPattern pattern() {
        return pattern;
    }
}
