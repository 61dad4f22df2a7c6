package cardterm.bridge;

import java.io.IOException;

/**
 * Root of the firmware bridge's typed failures: the link is down, a command timed out, the device
 * answered with an error. Checked, so that callers decide at each step what a failure means.
 */
public abstract class BridgeException extends IOException {
    protected BridgeException(String message) {
        super(message);
    }

    protected BridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
