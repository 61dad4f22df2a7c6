package cardterm.terminal.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds command payloads as the hub sends them (hub-contract.md, Commands): {@code {"body": <JSON
 * text>, "sig": <base64 HMAC-SHA256 of the body's UTF-8 bytes>}}, the key being the key text trimmed,
 * as UTF-8. For tests.
 */
public final class SignedCommand {
    /** The key the examples in docs/asyncapi.yaml are signed with. Never a real key. */
    public static final String EXAMPLE_KEY = "cardterm-example-key-for-docs-and-tests-only";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SignedCommand() {
    }

    /** base64 HMAC-SHA256 of {@code body} under {@code keyText} (trimmed, UTF-8). */
    public static String sig(String keyText, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyText.strip().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The payload bytes carrying {@code body} (a JSON text) signed with {@code keyText}. */
    public static byte[] signed(String keyText, String body) {
        return withSig(body, sig(keyText, body));
    }

    /** The payload bytes carrying {@code body} with the given {@code sig} (right or wrong). */
    public static byte[] withSig(String body, String sig) {
        ObjectNode n = JSON.createObjectNode();
        n.put("body", body);
        n.put("sig", sig);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }
}
