package cardterm.devices.chip;

/** How a chip job ended: the codes of chip-profile.md's status word table, used as-is in events. */
public enum ChipOutcome {
    OK,
    /** EF05 record 7 (card number) already exists: never issue a card twice. */
    CARD_ALREADY_ISSUED,
    /** A concession is to be written but the card has no transit application (6A82). */
    CONCESSION_UNSUPPORTED,
    /** Not a card of this profile: the SSSE application, a file or a record is missing. */
    CARD_UNSUPPORTED,
    /** A write was refused (6982) or failed in the card's memory (6581). */
    CARD_WRITE_FAILED,
    /** EXTERNAL AUTHENTICATE refused the cryptogram (63Cx); it is never repeated automatically. */
    CARD_AUTH_FAILED,
    /** The card's key is blocked (6983). */
    CARD_AUTH_BLOCKED,
    /** The card answered something the profile does not expect (a bug on one side). */
    CARD_PROTOCOL_ERROR,
    /** Reading back a written record gave other bytes. */
    CARD_VERIFY_FAILED,
    /** The card left the encoder during the job. */
    CARD_REMOVED,
    /** The encoder reader (or pcscd) is not available. */
    READER_UNAVAILABLE,
    /** The SAM is missing or answered anything but 9000. */
    SAM_FAILED,
    /** No card in the encoder. */
    NO_CARD;

    /** The code as events carry it. */
    public String code() {
        return name();
    }
}
