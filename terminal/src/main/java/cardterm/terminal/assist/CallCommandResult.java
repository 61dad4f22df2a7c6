package cardterm.terminal.assist;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a staff command on a call ({@code call-ack}, {@code call-resolve}).
 *
 * @param ok      whether the command took effect (or had already, for the same staff member)
 * @param code    what happened
 * @param callId  the call asked about
 * @param owner   who owns the call, if anyone (for ALREADY_OWNED and NOT_OWNER: who does)
 * @param state   the call's state after the command, if the call is known
 * @param message a sentence for the person who sent the command
 */
public record CallCommandResult(boolean ok, Code code, String callId, String owner, CallState state,
        String message) {

    /** What came of a command. */
    public enum Code {
        /** Done (or, for the owner acknowledging again, already done). */
        OK,
        /** No such call, open or recently closed. */
        UNKNOWN_CALL,
        /** Another staff member acknowledged it first and owns it: {@code owner} says who. */
        ALREADY_OWNED,
        /** The call is resolved or cancelled already. */
        ALREADY_CLOSED,
        /** Only the owner (named in {@code owner}, if any) or a supervisor may resolve it. */
        NOT_OWNER,
        /** The staff id is missing or malformed. */
        INVALID
    }

    public CallCommandResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (ok != (code == Code.OK)) {
            throw new IllegalArgumentException("ok must be true exactly for OK, got " + ok + " with " + code);
        }
    }

    public Optional<String> ownerIfAny() {
        return Optional.ofNullable(owner);
    }

    /** {@code {"callId","state","owner"}} (the ones known), for a command reply. */
    public ObjectNode details() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (callId != null) {
            n.put("callId", callId);
        }
        if (state != null) {
            n.put("state", state.name());
        }
        if (owner != null) {
            n.put("owner", owner);
        }
        return n;
    }

    static CallCommandResult ok(String callId, String owner, CallState state, String message) {
        return new CallCommandResult(true, Code.OK, callId, owner, state, message);
    }

    static CallCommandResult fail(Code code, String callId, String owner, CallState state, String message) {
        return new CallCommandResult(false, code, callId, owner, state, message);
    }
}
