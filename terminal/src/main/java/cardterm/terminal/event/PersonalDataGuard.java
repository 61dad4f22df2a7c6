package cardterm.terminal.event;

import cardterm.devices.citizen.ResidentId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;

/**
 * The last gate before a payload leaves the terminal (events into the outbox; state, health,
 * metrics and replies onto the broker). Every string in it is passed through {@link
 * ResidentId#maskWithin}, so free text that happens to carry something shaped like a resident ID
 * number (an error message quoting a path or a serial number, say) is masked as the ID type masks
 * itself. The contract promises no such string ever leaves (docs/schemas/common.json,
 * noPersonalData); the ID type keeps real numbers out, this keeps look-alikes out too.
 */
public final class PersonalDataGuard {
    /** How deep a payload is walked; the contract's payloads are a few levels deep. */
    private static final int MAX_DEPTH = 64;

    private PersonalDataGuard() {}

    /**
     * Masks, in place, every ID-shaped run in the strings of {@code node}. Nodes without any are
     * left untouched (no copy is made).
     *
     * @throws IllegalArgumentException for a payload nested deeper than 64 levels
     */
    public static <T extends JsonNode> T mask(T node) {
        walk(node, 0);
        return node;
    }

    private static void walk(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("payload nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node instanceof ObjectNode o) {
            // replacing the value of a present key changes no key: safe while iterating
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                JsonNode m = masked(e.getValue(), depth);
                if (m != null) {
                    o.replace(e.getKey(), m);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode m = masked(a.get(i), depth);
                if (m != null) {
                    a.set(i, m);
                }
            }
        }
    }

    /** The masked string for a string node that needs it, else null; containers are walked in place. */
    private static JsonNode masked(JsonNode value, int depth) {
        if (value.isTextual()) {
            String m = ResidentId.maskWithin(value.textValue());
            return m == value.textValue() ? null : TextNode.valueOf(m);
        }
        if (value.isContainerNode()) {
            walk(value, depth + 1);
        }
        return null;
    }
}
