package cardterm.terminal.diagnose;

import java.util.Objects;

/**
 * The outcome of one self-test check: its name, whether it passed, what was found, and for a
 * failure a hint of what to do. Holds no personal data.
 */
public record CheckResult(String check, boolean passed, String detail, String hint) {
    public CheckResult {
        Objects.requireNonNull(check, "check");
        detail = detail == null ? "" : detail;
        hint = hint == null ? "" : hint;
        if (!passed && hint.isBlank()) {
            throw new IllegalArgumentException("a failed check needs a hint: " + check);
        }
    }

    public static CheckResult pass(String check, String detail) {
        return new CheckResult(check, true, detail, "");
    }

    public static CheckResult fail(String check, String detail, String hint) {
        return new CheckResult(check, false, detail, hint);
    }
}
