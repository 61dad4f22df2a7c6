package cardterm.devices.printer;

import cardterm.bridge.ecl.EclErrorCode;

/**
 * Why the printer refused an operation ({@link PrinterException#code()}): the error codes of
 * printer-protocol.md, named as on the wire, as the driver reports them to its users.
 */
public enum PrinterErrorCode {
    BUSY,
    UNKNOWN_COMMAND,
    BAD_ARGS,
    FRAMING,
    SEQUENCE,
    NO_CARD,
    FEEDER_EMPTY,
    COVER_OPEN,
    JAM,
    RIBBON_ENDED,
    NO_RIBBON,
    REJECT_BOX_FULL,
    HEAD_TEMP,
    /** A code this host does not know (a newer firmware); the message quotes the wire code. */
    UNRECOGNIZED;

    /** The code of a wire error; {@link #UNRECOGNIZED} for one without a same-named constant here. */
    static PrinterErrorCode of(EclErrorCode wire) {
        for (PrinterErrorCode c : values()) {
            if (c.name().equals(wire.name())) {
                return c;
            }
        }
        return UNRECOGNIZED;
    }
}
