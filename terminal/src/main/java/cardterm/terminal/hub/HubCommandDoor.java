package cardterm.terminal.hub;

import cardterm.terminal.command.CommandDispatcher;
import cardterm.terminal.command.CommandRequest;
import cardterm.terminal.command.CommandResult;
import cardterm.terminal.command.ReplyCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The hub's door to the terminal's commands: a message on {@code .../cmd/{name}} passes the
 * {@link CommandVerifier} (signature, address, freshness, shape) and only then reaches the same
 * {@link CommandDispatcher} every door uses. What the verifier refuses goes no further than its
 * reply and the audit trail.
 */
public final class HubCommandDoor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandVerifier verifier;
    private final CommandDispatcher dispatcher;

    public HubCommandDoor(CommandVerifier verifier, CommandDispatcher dispatcher) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    /**
     * Handles the payload of a message on {@code .../cmd/{topicName}}; returns the reply. A command
     * carried out has its reply kept in the verifier's {@link RequestMemory} before this returns,
     * so a repeat of it is answered from there ({@code "duplicate":true}) with no second effect.
     */
    public ObjectNode handle(String topicName, byte[] payload) {
        CommandVerifier.Verdict verdict = verifier.verify(topicName, payload);
        return switch (verdict) {
            case CommandVerifier.Refused r -> dispatcher.refuse(r.requestId(), r.name() != null ? r.name() : topicName,
                    r.code(), r.message(), r.problems());
            case CommandVerifier.Repeat r when r.reply().isPresent() -> duplicate(r.reply().get());
            case CommandVerifier.Repeat r -> remember(r.request(), dispatcher.recover(r.request()));
            case CommandVerifier.Accepted a -> remember(a.request(), dispatcher.dispatch(a.request()));
        };
    }

    private ObjectNode remember(CommandRequest request, ObjectNode reply) {
        verifier.memory().replied(request.requestId(), HubLink.bytes(reply));
        return reply;
    }

    private static ObjectNode duplicate(byte[] stored) {
        try {
            ObjectNode reply = (ObjectNode) JSON.readTree(stored);
            reply.put("duplicate", true);
            return reply;
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalStateException("a stored reply does not parse", e);
        }
    }

    /** A reply for a command that could not even be looked at (the terminal is too busy). */
    public static ObjectNode busyReply(byte[] payload) {
        String requestId = null;
        try {
            if (payload.length > CommandVerifier.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("too large to look at");
            }
            JsonNode body = JSON.readTree(JSON.readTree(payload).get("body").asText());
            JsonNode id = body.get("requestId");
            if (id != null && id.isTextual() && CommandVerifier.REQUEST_ID.matcher(id.asText()).matches()) {
                requestId = id.asText();
            }
        } catch (Exception e) {
            // no request id to echo
        }
        return CommandDispatcher.reply(requestId, CommandResult.failed(ReplyCode.BUSY, "too many commands waiting"));
    }
}
