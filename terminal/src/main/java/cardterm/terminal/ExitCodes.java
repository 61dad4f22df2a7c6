package cardterm.terminal;

/** The exit codes of every {@code cardterm} command and benchmark, in one place. */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** A device, a check or a run failed. */
    public static final int FAILED = 1;
    /** Bad input: arguments, config, a job file. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
