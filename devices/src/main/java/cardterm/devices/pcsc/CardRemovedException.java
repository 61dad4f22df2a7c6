package cardterm.devices.pcsc;

/** The card left the reader (pulled, or the printer moved it away) during or before an exchange. */
public final class CardRemovedException extends SmartCardException {
    private final String reader;

    public CardRemovedException(String reader, String message, Throwable cause) {
        super("card removed from " + reader + (message == null || message.isEmpty() ? "" : ": " + message), cause);
        this.reader = reader;
    }

    public CardRemovedException(String reader) {
        this(reader, "", null);
    }

    /** The reader the card was in. */
    public String reader() {
        return reader;
    }
}
