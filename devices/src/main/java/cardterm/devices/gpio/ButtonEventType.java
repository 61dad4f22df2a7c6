package cardterm.devices.gpio;

/** What a call button did. */
public enum ButtonEventType {
    /** Pressed: told at the first contact, at once, so the press can be confirmed without delay. */
    PRESSED,
    /** Released, after the line stayed released for the debounce time. */
    RELEASED,
    /** Held for the long-press time (default 3 s) since it was pressed; told once per press. */
    LONG_PRESS,
    /** Held past the stuck limit: the button is DEGRADED/STUCK and ignored until released. */
    STUCK
}
