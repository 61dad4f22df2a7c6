package cardterm.terminal.assist;

import java.util.List;
import java.util.Objects;

/** A staff command's result and the effects it calls for (none if it failed). */
public record CallOutcome(CallCommandResult result, List<AssistEffect> effects) {
    public CallOutcome {
        Objects.requireNonNull(result, "result");
        effects = List.copyOf(effects);
    }
}
