package cardterm.devices.printer;

/** The state word of the {@code Rst} answer. */
public enum PrinterState {
    /** Nothing in the way. */
    READY,
    /** A mechanical step is running. */
    BUSY,
    /** Only warnings are set (near empty, ribbon low, cleaning due, output hopper full). */
    WARNING,
    /** A flag stops the next mechanical step (jam, cover open, ribbon ended...). */
    ERROR
}
