package cardterm.terminal.issuance;

import cardterm.devices.chip.ChipOutcome;
import cardterm.devices.printer.PrinterException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Why an issuance job ended without a card for the citizen: the {@code code} of
 * {@code issuance.failed} (docs/schemas/events/issuance.failed.json). The constant's name is its
 * {@linkplain #wireName() wire name}. Three families: the chip's outcomes (chip-profile.md, as
 * {@link ChipOutcome} names them), the printer's refusals (printer-protocol.md's {@code ERR} codes)
 * and trouble reaching it, and the terminal's own ends of a job.
 */
public enum FailureCode {
    // the chip (ChipOutcome, without OK)
    CARD_ALREADY_ISSUED,
    CONCESSION_UNSUPPORTED,
    CARD_UNSUPPORTED,
    CARD_WRITE_FAILED,
    CARD_AUTH_FAILED,
    CARD_AUTH_BLOCKED,
    CARD_PROTOCOL_ERROR,
    CARD_VERIFY_FAILED,
    CARD_REMOVED,
    READER_UNAVAILABLE,
    SAM_FAILED,
    /** No card in the encoder (chip), or none in the printer (the printer's {@code ERR;NO_CARD}). */
    NO_CARD,

    // the printer refused (ERR;<code>)
    BUSY,
    UNKNOWN_COMMAND,
    BAD_ARGS,
    FRAMING,
    SEQUENCE,
    FEEDER_EMPTY,
    COVER_OPEN,
    JAM,
    RIBBON_ENDED,
    NO_RIBBON,
    REJECT_BOX_FULL,
    HEAD_TEMP,
    /** A refusal code this terminal does not know (newer firmware). */
    UNRECOGNIZED,

    // the printer could not be used
    /** The printer did not answer in time. */
    PRINTER_TIMEOUT,
    /** The printer's link is down. */
    PRINTER_UNAVAILABLE,
    /** The printer refused without a code. */
    PRINTER_ERROR,
    /** The ready check found the printer unable to start a job. */
    PRINTER_NOT_READY,

    // the terminal
    /** No usable font for the card face: no card is fed (also the refusal code of a submit). */
    CARD_FACE_UNAVAILABLE,
    /** The card face could not be rendered. */
    CARD_FACE_FAILED,
    /** Cancelled by the hub or a staff member. */
    CANCELLED,
    /** A crash or power cut interrupted the job; recovery ended it after the restart. */
    INTERRUPTED,
    /** An unexpected error in the terminal. */
    INTERNAL_ERROR;

    /** The code as {@code issuance.failed} carries it. */
    public String wireName() {
        return name();
    }

    /** The code an event names, if it is one. */
    public static Optional<FailureCode> ofWire(String code) {
        return Arrays.stream(values()).filter(c -> c.name().equals(code)).findFirst();
    }

    /** The code of a chip step that did not end OK. */
    public static FailureCode of(ChipOutcome outcome) {
        return switch (outcome) {
            case OK -> throw new IllegalArgumentException("OK is not a failure");
            case CARD_ALREADY_ISSUED -> CARD_ALREADY_ISSUED;
            case CONCESSION_UNSUPPORTED -> CONCESSION_UNSUPPORTED;
            case CARD_UNSUPPORTED -> CARD_UNSUPPORTED;
            case CARD_WRITE_FAILED -> CARD_WRITE_FAILED;
            case CARD_AUTH_FAILED -> CARD_AUTH_FAILED;
            case CARD_AUTH_BLOCKED -> CARD_AUTH_BLOCKED;
            case CARD_PROTOCOL_ERROR -> CARD_PROTOCOL_ERROR;
            case CARD_VERIFY_FAILED -> CARD_VERIFY_FAILED;
            case CARD_REMOVED -> CARD_REMOVED;
            case READER_UNAVAILABLE -> READER_UNAVAILABLE;
            case SAM_FAILED -> SAM_FAILED;
            case NO_CARD -> NO_CARD;
        };
    }

    /**
     * The code of a printer failure: the printer's own code when it refused, else how the call
     * failed. The one place issuance reads the printer's error codes (recovery tells "no card"
     * and "busy" apart by the result).
     */
    public static FailureCode of(PrinterException e) {
        if (e.code().isEmpty()) {
            return switch (e.failure()) {
                case TIMEOUT -> PRINTER_TIMEOUT;
                case LINK_DOWN -> PRINTER_UNAVAILABLE;
                case REFUSED -> PRINTER_ERROR;
            };
        }
        return switch (e.code().get()) {
            case BUSY -> BUSY;
            case UNKNOWN_COMMAND -> UNKNOWN_COMMAND;
            case BAD_ARGS -> BAD_ARGS;
            case FRAMING -> FRAMING;
            case SEQUENCE -> SEQUENCE;
            case NO_CARD -> NO_CARD;
            case FEEDER_EMPTY -> FEEDER_EMPTY;
            case COVER_OPEN -> COVER_OPEN;
            case JAM -> JAM;
            case RIBBON_ENDED -> RIBBON_ENDED;
            case NO_RIBBON -> NO_RIBBON;
            case REJECT_BOX_FULL -> REJECT_BOX_FULL;
            case HEAD_TEMP -> HEAD_TEMP;
            case UNRECOGNIZED -> UNRECOGNIZED;
        };
    }
}
