package cardterm.terminal.hub;

import cardterm.devices.check.Problems;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** What a command handler answers: the reply's {@code result}, or its {@code error}. */
public sealed interface CommandResult {

    /** Done; {@code result} goes in the reply. */
    record Ok(ObjectNode result) implements CommandResult {
        public Ok {
            result = Objects.requireNonNull(result, "result").deepCopy();
        }

        @Override
        public ObjectNode result() {
            return result.deepCopy();
        }
    }

    /**
     * Not done: {@code code} ({@code INVALID}, {@code ALREADY_OWNED}, ...), a message for people
     * and, for {@code INVALID}, every problem found. Messages carry no personal data.
     */
    record Failed(String code, String message, List<String> problems) implements CommandResult {
        public Failed {
            Objects.requireNonNull(code, "code");
            message = message == null ? "" : message;
            problems = List.copyOf(problems == null ? List.of() : problems);
        }
    }

    static CommandResult ok(ObjectNode result) {
        return new Ok(result);
    }

    static CommandResult ok() {
        return new Ok(JsonNodeFactory.instance.objectNode());
    }

    /** {@code INVALID} with every problem of the args. */
    static CommandResult invalid(Problems problems) {
        return new Failed(CommandVerifier.INVALID, "invalid args", problems.lines());
    }

    static CommandResult failed(String code, String message) {
        return new Failed(code, message, List.of());
    }
}
