package cardterm.terminal.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * The hash chain of the audit log, pure: an entry's hash is SHA-256 over the previous entry's hash
 * (unpadded base64url, 43 characters; {@link #GENESIS}, 32 zero bytes, for the first; base64url and
 * not hex so that no hash reads as a run of digits such as an ID number) followed by the entry's canonical
 * form: JSON with keys sorted at every depth, no white space, of {@code seq, at, staffId, action,
 * subject, detail}. Changing, removing or moving any entry breaks the chain from there on.
 */
public final class AuditChain {
    /** The "previous hash" of the first entry. */
    public static final String GENESIS = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditChain() {
    }

    /** The canonical text of an entry's content (everything but the hashes). */
    public static String canonical(long seq, Instant at, String staffId, String action, String subject, JsonNode detail) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("seq", seq);
        o.put("at", at.toString());
        o.put("staffId", staffId);
        o.put("action", action);
        o.put("subject", subject);
        o.set("detail", detail);
        try {
            return JSON.writeValueAsString(sorted(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 (unpadded base64url) over {@code prevHash} and the canonical text. */
    public static String hash(String prevHash, String canonical) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            md.update(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The hash an entry must carry, given its content and its stored previous hash. */
    public static String expectedHash(AuditEntry e) {
        return hash(e.prevHash(), canonical(e.seq(), e.at(), e.staffId(), e.action(), e.subject(), e.detail()));
    }

    /** A copy of {@code node} with the keys of every object sorted. */
    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(names::add);
            names.sort(null);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (String n : names) {
                o.set(n, sorted(node.get(n)));
            }
            return o;
        }
        if (node.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> a.add(sorted(n)));
            return a;
        }
        return node;
    }
}
