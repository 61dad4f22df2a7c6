package cardterm.bridge.ecl;

/** The error codes of an {@code ERR;<code>;<text>} answer (printer-protocol.md). */
public enum EclErrorCode {
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
    /** A code this host does not know (a newer firmware); the wire code is kept with the answer. */
    UNRECOGNIZED;

    /** The code for a wire string; {@link #UNRECOGNIZED} for anything not in the spec. */
    public static EclErrorCode ofWire(String code) {
        if (code != null) {
            for (EclErrorCode c : values()) {
                if (c != UNRECOGNIZED && c.name().equals(code)) {
                    return c;
                }
            }
        }
        return UNRECOGNIZED;
    }
}
