package cardterm.devices.printer;

/** A consumable the printer reports on. */
public enum Supply {
    /** Blank cards in the input feeder. */
    FEEDER,
    /** The print ribbon. */
    RIBBON
}
