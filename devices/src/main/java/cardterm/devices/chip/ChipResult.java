package cardterm.devices.chip;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The result of a personalization: the outcome, a detail for technicians (command and status
 * word, never data), the records the card acknowledged ({@code EF05/5}, in order) and, on a
 * failed write, the record being written. A failure after the first write left a partly written
 * card: {@link #partlyWritten()}; such a card must be rejected, never handed out.
 */
public record ChipResult(ChipOutcome outcome, String detail, List<String> recordsWritten, String failedRecord,
        OptionalInt statusWord) {

    public ChipResult {
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
        recordsWritten = List.copyOf(recordsWritten);
        statusWord = statusWord == null ? OptionalInt.empty() : statusWord;
    }

    public boolean ok() {
        return outcome == ChipOutcome.OK;
    }

    /** Whether the card holds some, but not all and not verified, of the job's records. */
    public boolean partlyWritten() {
        return !ok() && (!recordsWritten.isEmpty() || failedRecord != null);
    }

    @Override
    public String toString() {
        return outcome + (detail.isEmpty() ? "" : " (" + detail + ")")
                + (recordsWritten.isEmpty() ? "" : " written " + recordsWritten)
                + (failedRecord == null ? "" : " failed at " + failedRecord);
    }
}
