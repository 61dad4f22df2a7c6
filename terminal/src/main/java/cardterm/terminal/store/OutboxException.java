package cardterm.terminal.store;

/**
 * An event could not be stored: the outbox is closed, the writer did not commit in time, or the
 * database failed. The action the event reports must not be taken as done.
 */
public class OutboxException extends RuntimeException {
    public OutboxException(String message) {
        super(message);
    }

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
