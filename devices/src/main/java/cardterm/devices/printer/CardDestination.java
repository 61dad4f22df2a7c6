package cardterm.devices.printer;

/** Where a card went when it left the simulated printer. */
public enum CardDestination {
    /** {@code Eo}: handed to the citizen. */
    OUTPUT_TRAY,
    /** {@code Er}: spoiled. */
    REJECT_BOX,
    /** Taken out by a person clearing a jam (cover opened and closed). */
    REMOVED_BY_HAND
}
