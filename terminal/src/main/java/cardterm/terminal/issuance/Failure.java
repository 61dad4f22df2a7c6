package cardterm.terminal.issuance;

import java.util.List;
import java.util.Objects;

/**
 * How a job failed, as the journal keeps it and {@code issuance.failed} tells it. Immutable; made
 * with {@link #of} and completed fluently:
 *
 * <pre>{@code
 * Failure.of(FailureCode.JAM, IssuanceStep.PRINT).cardRejected(rejected).records(written).message(e.getMessage())
 * }</pre>
 *
 * @param step the step the job was trying to reach (one {@linkplain IssuanceStep#onWire() on the wire})
 * @param cardRejected the card went to the reject box
 * @param recordsWritten chip records the card acknowledged, in order
 * @param message free text for people, may be null; never personal data
 */
public record Failure(FailureCode code, IssuanceStep step, boolean cardRejected, List<String> recordsWritten,
        String message) {

    public Failure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(step, "step");
        if (!step.onWire()) {
            throw new IllegalArgumentException("a job fails at a step events name, not " + step);
        }
        recordsWritten = List.copyOf(recordsWritten);
    }

    /** {@code code} at {@code step}: no card rejected, no record written, no message. */
    public static Failure of(FailureCode code, IssuanceStep step) {
        return new Failure(code, step, false, List.of(), null);
    }

    public Failure cardRejected(boolean rejected) {
        return new Failure(code, step, rejected, recordsWritten, message);
    }

    public Failure records(List<String> written) {
        return new Failure(code, step, cardRejected, written, message);
    }

    public Failure message(String text) {
        return new Failure(code, step, cardRejected, recordsWritten, text);
    }
}
