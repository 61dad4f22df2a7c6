package cardterm.terminal.audit;

/** Runs the CLI with output captured, for tests in other packages. */
public final class AuditLogTestAccess {
    /** Exit code and output of one run. */
    public record Result(int exit, String out, String err) {}

    private AuditLogTestAccess() {
    }

    public static Result run(String... args) {
        AuditLogTest.Result r = AuditLogTest.run(args);
        return new Result(r.exit(), r.out(), r.err());
    }
}
