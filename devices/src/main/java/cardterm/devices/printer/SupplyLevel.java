package cardterm.devices.printer;

/** How much of a {@link Supply} is left, as the printer's flags tell. */
public enum SupplyLevel {
    /** Not read yet. */
    UNKNOWN,
    OK,
    /** FEEDER_NEAR_EMPTY or RIBBON_LOW. */
    LOW,
    /** FEEDER_EMPTY, RIBBON_ENDED or NO_RIBBON. */
    EMPTY;

    static SupplyLevel of(Supply supply, PrinterStatus status) {
        return switch (supply) {
            case FEEDER -> status.has(PrinterFlag.FEEDER_EMPTY) ? EMPTY
                    : status.has(PrinterFlag.FEEDER_NEAR_EMPTY) ? LOW : OK;
            case RIBBON -> status.has(PrinterFlag.RIBBON_ENDED) || status.has(PrinterFlag.NO_RIBBON) ? EMPTY
                    : status.has(PrinterFlag.RIBBON_LOW) ? LOW : OK;
        };
    }
}
