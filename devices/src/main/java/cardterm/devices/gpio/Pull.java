package cardterm.devices.gpio;

/** The pin's internal bias resistor for an input. */
public enum Pull {
    /** No bias: the board has its own resistor. */
    NONE,
    /** Pulled up: idle HIGH, typically with a button to ground (active LOW). */
    UP,
    /** Pulled down: idle LOW, typically with a button to 3.3 V (active HIGH). */
    DOWN
}
