package cardterm.devices.pcsc;

/** The reader is there but holds no card. */
public final class NoCardException extends SmartCardException {
    private final String reader;

    public NoCardException(String reader) {
        super("no card in " + reader);
        this.reader = reader;
    }

    public String reader() {
        return reader;
    }
}
