package cardterm.terminal.assist;

import cardterm.devices.check.Problems;

/** An assist configuration with problems; carries every one of them, not only the first. */
public final class AssistConfigException extends IllegalArgumentException {
    private final transient Problems problems;

    public AssistConfigException(Problems problems) {
        super("invalid assist config: " + problems);
        this.problems = problems;
    }

    public Problems problems() {
        return problems;
    }
}
