package cardterm.devices.gpio;

/**
 * Which electrical level of a pin means "active" (button pressed, lamp lit, buzzer sounding). A
 * button wired to ground with a pull-up is active LOW; most relay and transistor drivers are
 * active HIGH.
 */
public enum ActiveLevel {
    HIGH,
    LOW;

    /** Whether a pin at {@code high} is active. */
    public boolean isActive(boolean high) {
        return this == HIGH ? high : !high;
    }

    /** The pin level ({@code true} = high) that makes a line {@code active}. */
    public boolean levelFor(boolean active) {
        return this == HIGH ? active : !active;
    }
}
