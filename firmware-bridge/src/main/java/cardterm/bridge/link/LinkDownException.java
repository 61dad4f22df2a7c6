package cardterm.bridge.link;

import cardterm.bridge.BridgeException;

/**
 * The {@link Link} to the device is down (never came up, unplugged, closed; it may come back): the
 * command was not sent or its answer is lost. The transport-level cause, when there is one, is a
 * {@link cardterm.bridge.transport.TransportLostException}.
 */
public final class LinkDownException extends BridgeException {
    private final String reason;

    public LinkDownException(String linkName, String reason) {
        super(linkName + " is down: " + reason);
        this.reason = reason;
    }

    public LinkDownException(String linkName, String reason, Throwable cause) {
        super(linkName + " is down: " + reason, cause);
        this.reason = reason;
    }

    /** Why the link is down. */
    public String reason() {
        return reason;
    }
}
