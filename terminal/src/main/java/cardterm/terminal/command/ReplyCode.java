package cardterm.terminal.command;

/**
 * The error codes a command's reply may carry that do not belong to one handler (hub-contract.md,
 * "Commands"). Handlers add their own ({@code ALREADY_OWNED}, {@code UNKNOWN_JOB}, ...).
 */
public final class ReplyCode {
    /** No or a wrong signature. */
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    /** Another terminal, or a name that is not the topic's. */
    public static final String MISDIRECTED = "MISDIRECTED";
    /** Stale, or a request id seen with another body. */
    public static final String REPLAYED = "REPLAYED";
    /** Does not parse, or invalid args: every problem listed. */
    public static final String INVALID = "INVALID";
    /** Too many commands waiting. */
    public static final String BUSY = "BUSY";
    /** The handler failed on the terminal. */
    public static final String INTERNAL = "INTERNAL";

    private ReplyCode() {
    }
}
