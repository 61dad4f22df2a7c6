package cardterm.devices.printer;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A printer operation failed. Carries how ({@link Failure}), the printer's error code when it
 * refused, and the status read right after the failure when it could be read.
 */
public final class PrinterException extends Exception {

    /** How the operation failed. */
    public enum Failure {
        /** The printer answered {@code ERR;<code>}. */
        REFUSED,
        /** No answer in time. */
        TIMEOUT,
        /** The link is down (unplugged, no such port, connection refused). */
        LINK_DOWN
    }

    private final String operation;
    private final Failure failure;
    private final PrinterErrorCode code;
    private final PrinterStatus statusAfter;

    public PrinterException(String operation, Failure failure, PrinterErrorCode code, PrinterStatus statusAfter,
                            String message, Throwable cause) {
        super(message, cause);
        this.operation = Objects.requireNonNull(operation, "operation");
        this.failure = Objects.requireNonNull(failure, "failure");
        this.code = code;
        this.statusAfter = statusAfter;
    }

    /** The operation, e.g. {@code feed}, {@code print}, {@code eject}. */
    public String operation() {
        return operation;
    }

    public Failure failure() {
        return failure;
    }

    /** The printer's error code, present when {@link #failure()} is {@link Failure#REFUSED}. */
    public Optional<PrinterErrorCode> code() {
        return Optional.ofNullable(code);
    }

    /** The status read after the failure, when it could be read. */
    public Optional<PrinterStatus> statusAfter() {
        return Optional.ofNullable(statusAfter);
    }

    /** The flags of {@link #statusAfter()}, empty when unknown. */
    public Set<PrinterFlag> flags() {
        return statusAfter == null ? Set.of() : statusAfter.flags();
    }
}
