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
 * @param door which door it came in by: {@link #HUB} (signed MQTT command) or {@link #CONSOLE}
 * @param actor the signed-in staff id for the console door; null for the hub door (the hub names
 *     staff in {@code args.staffId} where a command has one)
 */
public record CommandRequest(String requestId, Instant issuedAt, String name, ObjectNode args, String door,
        String actor) {
    public static final String HUB = "hub";
    public static final String CONSOLE = "console";

    public CommandRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(name, "name");
        args = Objects.requireNonNull(args, "args").deepCopy();
        Objects.requireNonNull(door, "door");
        if (!door.equals(HUB) && !door.equals(CONSOLE)) {
            throw new IllegalArgumentException("door must be hub or console: " + door);
        }
    }

    /** A command that came in by the hub door. */
    public CommandRequest(String requestId, Instant issuedAt, String name, ObjectNode args) {
        this(requestId, issuedAt, name, args, HUB, null);
    }

    @Override
    public ObjectNode args() {
        return args.deepCopy();
    }
}
