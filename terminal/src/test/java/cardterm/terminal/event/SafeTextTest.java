package cardterm.terminal.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Untrusted text for logs, the console and the audit trail: {@link SafeText}. */
class SafeTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void controlCharactersBecomeEscapes() {
        assertThat(SafeText.of("R-\u0000\u001b[2J\u0007\r\n\t\u007f\u0085")).isEqualTo(
                "R-\\u0000\\u001b[2J\\u0007\\u000d\\u000a\\u0009\\u007f\\u0085");
        // bidirectional overrides, zero-width and line separators cannot hide or reorder text
        assertThat(SafeText.of("a\u202eb\u200bc\u2028d\ufeffe\uffff")).isEqualTo(
                "a\\u202eb\\u200bc\\u2028d\\ufeffe\\uffff");
    }

    @Test
    void loneSurrogatesBecomeEscapesAndPairsStay() {
        assertThat(SafeText.of("x\ud800y")).isEqualTo("x\\ud800y");
        assertThat(SafeText.of("x\udc00")).isEqualTo("x\\udc00");
        assertThat(SafeText.of("\udc00\ud800")).isEqualTo("\\udc00\\ud800"); // the wrong order is no pair
        assertThat(SafeText.of("𠀀 张三 ok")).isEqualTo("𠀀 张三 ok");
    }

    @Test
    void cleanTextComesBackAsItIsAndSafeTextStaysTheSame() {
        String clean = "J-20261126-0001 S1024 \\u001b";
        assertThat(SafeText.of(clean)).isSameAs(clean);
        assertThat(SafeText.isClean(clean)).isTrue();
        assertThat(SafeText.isClean("a\u001bb")).isFalse();
        assertThat(SafeText.isClean("a\ud800")).isFalse();
        String once = SafeText.of("a\u001b\ud800b", 64);
        assertThat(SafeText.of(once, 64)).isEqualTo(once);
        assertThat(SafeText.of(null)).isEqualTo("null");
    }

    @Test
    void longTextIsCutWithinTheLimitSayingItsLength() {
        String big = "x".repeat(10 * 1024 * 1024);
        String shown = SafeText.of(big, 100);
        assertThat(shown).hasSizeLessThanOrEqualTo(100).endsWith("… (10485760 chars)").startsWith("xxxx");
        assertThat(shown.length()).isEqualTo(100);
        // escapes count in the limit and are never cut in half
        String esc = SafeText.of("\u001b".repeat(1000), 50);
        assertThat(esc).hasSizeLessThanOrEqualTo(50).endsWith("… (1000 chars)");
        assertThat(esc.substring(0, esc.indexOf('…'))).matches("(\\\\u001b)+");
        // nor a pair
        String pairs = SafeText.of("𠀀".repeat(100), 30);
        assertThat(pairs.substring(0, pairs.indexOf('…'))).matches("(𠀀)+");
        assertThat(SafeText.of("exactly10!", 10)).isEqualTo("exactly10!");
    }

    @Test
    void scrubMakesEveryStringOfATreeSafe() throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree("{\"a\":\"x\\u001by\",\"n\":3,\"deep\":[{\"k\\u0007\":\"\\ud800\"}],\"ok\":true}");
        ObjectNode s = SafeText.scrub(n, 100);
        assertThat(s.toString()).isEqualTo(
                "{\"a\":\"x\\\\u001by\",\"n\":3,\"deep\":[{\"k\\\\u0007\":\"\\\\ud800\"}],\"ok\":true}");
        assertThat(n.get("a").asText()).isEqualTo("x\u001by"); // the input is not changed
    }

    @Test
    void jsonBytesKeepALoneSurrogateInsteadOfAQuestionMark() throws Exception {
        ObjectNode n = JSON.createObjectNode().put("requestId", "R-\ud800").put("name", "张三 𠀀");
        assertThat(new String(n.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .as("what String.getBytes does").contains("R-?");
        byte[] bytes = SafeText.jsonUtf8(n.toString());
        assertThat(JSON.readTree(bytes).get("requestId").asText()).isEqualTo("R-\ud800");
        assertThat(JSON.readTree(bytes).get("name").asText()).isEqualTo("张三 𠀀");
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).contains("R-\\ud800");
    }

    @Test
    void anEventWithALoneSurrogateTravelsAsItIs() throws Exception {
        EventEncoder encoder = new EventEncoder("s", "t", Clock.fixed(Instant.parse("2026-11-26T02:00:00Z"), ZoneOffset.UTC));
        EventEncoder.Encoded e = encoder.encode("device.status",
                JSON.createObjectNode().put("device", "printer").put("detail", "a\udc01b"));
        assertThat(JSON.readTree(e.withSeq(7)).path("data").path("detail").asText()).isEqualTo("a\udc01b");
    }
}
