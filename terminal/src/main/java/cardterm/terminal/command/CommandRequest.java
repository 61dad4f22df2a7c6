package cardterm.terminal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A command from the hub that passed every check (signature, address, freshness): what a
 * {@link CommandHandler} is given.
 *
 * @param requestId the hub's id of the request, echoed in the reply
 * @param issuedAt when the hub issued it
 * @param name the command name ({@code issue}, {@code rebirth}, ...)
 * @param args the command's arguments (a copy)
 */
public record CommandRequest(String requestId, Instant issuedAt, String name, ObjectNode args) {
    public CommandRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(name, "name");
        args = Objects.requireNonNull(args, "args").deepCopy();
    }

    @Override
    public ObjectNode args() {
        return args.deepCopy();
    }
}
