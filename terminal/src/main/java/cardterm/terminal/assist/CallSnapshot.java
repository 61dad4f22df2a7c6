package cardterm.terminal.assist;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * A call as it stands, for health reports and the command layer.
 *
 * @param owner          who acknowledged it, or {@code null}
 * @param acknowledgedAt when, or {@code null}
 * @param presses        how many times the caller pressed (the first press included)
 */
public record CallSnapshot(String callId, String buttonId, String location, String post, CallState state,
        EscalationLevel level, Instant raisedAt, String owner, Instant acknowledgedAt, int presses) {

    /** {@code {"callId","button":{"id","location"},"post","state","level","waitedMs","owner"?}}. */
    public ObjectNode toJson(Instant now) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("callId", callId);
        ObjectNode b = n.putObject("button");
        b.put("id", buttonId);
        b.put("location", location);
        n.put("post", post);
        n.put("state", state.name());
        n.put("level", level.wireName());
        n.put("waitedMs", Math.max(0, Duration.between(raisedAt, now).toMillis()));
        if (owner != null) {
            n.put("owner", owner);
        }
        n.put("presses", presses);
        return n;
    }
}
