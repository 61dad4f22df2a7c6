package cardterm.bridge.ecl;

import cardterm.bridge.BridgeException;

/** A command failed at the protocol level; carries the command as sent (without its data). */
public abstract sealed class EclException extends BridgeException permits EclTimeoutException, EclErrorResponse {
    private final String command;

    protected EclException(String command, String message) {
        super(message);
        this.command = command;
    }

    /** The command, as in traces: {@code Se}, {@code Db;k;front;82296}. */
    public String command() {
        return command;
    }
}
