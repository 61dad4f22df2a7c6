package cardterm.terminal.command;

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
     * Not done: {@code code} ({@code INVALID}, {@code ALREADY_OWNED}, ...), a message for people,
     * for {@code INVALID} every problem found (each {@code "field: message"}, as
     * {@link Problems#lines()} gives them), and for {@code ALREADY_OWNED} the staff id of the
     * {@code owner} ({@code null} when there is none to name). Messages carry no personal data.
     */
    record Failed(String code, String message, List<String> problems, String owner) implements CommandResult {
        public Failed {
            Objects.requireNonNull(code, "code");
            message = message == null ? "" : message;
            problems = List.copyOf(problems == null ? List.of() : problems);
        }

        public Failed(String code, String message, List<String> problems) {
            this(code, message, problems, null);
        }

        public java.util.Optional<String> ownerIfAny() {
            return java.util.Optional.ofNullable(owner);
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
        return new Failed(ReplyCode.INVALID, "invalid args", problems.lines());
    }

    static CommandResult failed(String code, String message) {
        return new Failed(code, message, List.of());
    }

    /** Failed with the staff id that owns what was asked for (the reply's {@code error.owner}). */
    static CommandResult failed(String code, String message, String owner) {
        return new Failed(code, message, List.of(), owner);
    }
}
