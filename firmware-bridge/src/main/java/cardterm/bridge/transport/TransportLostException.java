package cardterm.bridge.transport;

import cardterm.bridge.BridgeException;

/**
 * This {@link Transport} is gone for good: device unplugged, peer closed the connection, or an I/O
 * error; a new one must be opened. Seen by the users of a transport; above it, the
 * {@link cardterm.bridge.link.Link} is then down ({@link cardterm.bridge.link.LinkDownException})
 * until it has reopened.
 */
public final class TransportLostException extends BridgeException {
    private final String transportName;

    public TransportLostException(String transportName, String reason) {
        super(transportName + ": " + reason);
        this.transportName = transportName;
    }

    public TransportLostException(String transportName, String reason, Throwable cause) {
        super(transportName + ": " + reason, cause);
        this.transportName = transportName;
    }

    /** The {@link Transport#name()} of the lost transport. */
    public String transportName() {
        return transportName;
    }
}
