package cardterm.bridge.transport;

import cardterm.bridge.BridgeException;

/** The transport is gone: device unplugged, peer closed the connection, or an I/O error. */
public final class LinkLostException extends BridgeException {
    private final String transportName;

    public LinkLostException(String transportName, String reason) {
        super(transportName + ": " + reason);
        this.transportName = transportName;
    }

    public LinkLostException(String transportName, String reason, Throwable cause) {
        super(transportName + ": " + reason, cause);
        this.transportName = transportName;
    }

    /** The {@link Transport#name()} of the lost transport. */
    public String transportName() {
        return transportName;
    }
}
