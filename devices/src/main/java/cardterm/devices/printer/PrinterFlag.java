package cardterm.devices.printer;

/** A flag of the {@code Rst} answer (printer-protocol.md). */
public enum PrinterFlag {
    FEEDER_EMPTY,
    FEEDER_NEAR_EMPTY,
    RIBBON_LOW,
    RIBBON_ENDED,
    NO_RIBBON,
    COVER_OPEN,
    JAM,
    REJECT_BOX_FULL,
    HOPPER_FULL,
    HEAD_TEMP,
    CLEANING_DUE,
    CARD_IN_STATION;

    /** The flag for a wire name, or null when this host does not know it. */
    static PrinterFlag ofWire(String name) {
        for (PrinterFlag f : values()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
