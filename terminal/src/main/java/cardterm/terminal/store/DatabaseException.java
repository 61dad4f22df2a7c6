package cardterm.terminal.store;

/** The terminal's database could not do what was asked (I/O error, disk full, schema too new). */
public class DatabaseException extends RuntimeException {
    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
