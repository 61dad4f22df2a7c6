package cardterm.devices.pcsc;

import java.util.List;

/**
 * The configured reader is not there (unplugged, misnamed). Carries the readers that do exist, so
 * the message tells a technician what to configure instead.
 */
public final class ReaderUnavailableException extends SmartCardException {
    private final String wanted;
    private final List<String> available;

    public ReaderUnavailableException(String wanted, List<String> available, Throwable cause) {
        super("reader " + wanted + " not found; readers present: "
                + (available.isEmpty() ? "none" : String.join(", ", available)), cause);
        this.wanted = wanted;
        this.available = List.copyOf(available);
    }

    public ReaderUnavailableException(String wanted, List<String> available) {
        this(wanted, available, null);
    }

    /** The configured reader name or {@code /pattern/}. */
    public String wanted() {
        return wanted;
    }

    /** Readers PC/SC listed when this was found out. */
    public List<String> available() {
        return available;
    }
}
