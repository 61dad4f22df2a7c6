package cardterm.devices.chip;

/** What reading a card found: an issued card, a blank card, or a failure with its outcome code. */
public sealed interface ChipReading {

    /** An issued card and its public data. */
    record Issued(PublicCardData data) implements ChipReading {
    }

    /** A blank card (no card number yet); {@code region} from its identification code. */
    record Blank(String region) implements ChipReading {
    }

    /** Reading failed; {@code outcome} is one of the chip outcome codes (never OK). */
    record Failed(ChipOutcome outcome, String detail) implements ChipReading {
    }
}
