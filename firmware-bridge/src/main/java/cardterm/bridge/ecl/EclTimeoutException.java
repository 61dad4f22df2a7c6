package cardterm.bridge.ecl;

import java.time.Duration;

/** No valid answer came within the command's timeout (after every allowed retry). */
public final class EclTimeoutException extends EclException {
    private final Duration timeout;
    private final int attempts;

    public EclTimeoutException(String command, Duration timeout, int attempts) {
        super(command, command + ": no answer within " + timeout.toMillis() + " ms"
                + (attempts > 1 ? " (" + attempts + " attempts)" : ""));
        this.timeout = timeout;
        this.attempts = attempts;
    }

    public Duration timeout() {
        return timeout;
    }

    public int attempts() {
        return attempts;
    }
}
