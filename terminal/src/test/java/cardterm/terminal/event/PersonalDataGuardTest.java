package cardterm.terminal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PersonalDataGuardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyStringAtAnyDepthIsMaskedAndNothingElseChanges() throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree("""
                {"ok":false,"error":{"code":"X","message":"file /d/330302195201011231/f not found"},
                 "n":330302195201011231,"list":["33030219520101123X",{"k":"a 330302195201011231"},"short 123"],
                 "masked":"330302********1231"}""");
        JsonNode out = PersonalDataGuard.mask(n);
        assertThat(out).isSameAs(n);
        assertThat(n.at("/error/message").asText()).isEqualTo("file /d/330302********1231/f not found");
        assertThat(n.at("/list/0").asText()).isEqualTo("330302********123X");
        assertThat(n.at("/list/1/k").asText()).isEqualTo("a 330302********1231");
        assertThat(n.at("/list/2").asText()).isEqualTo("short 123");
        assertThat(n.at("/masked").asText()).isEqualTo("330302********1231");
        // a number is no string: the schemas give numbers no room for an ID (seq, counts)
        assertThat(n.path("n").isNumber()).isTrue();
    }

    @Test
    void aPayloadNestedTooDeepIsRefusedNotWalkedForever() throws Exception {
        String deep = "[".repeat(100) + "]".repeat(100);
        ObjectNode n = JSON.createObjectNode();
        n.set("deep", JSON.readTree(deep));
        assertThatThrownBy(() -> PersonalDataGuard.mask(n)).isInstanceOf(IllegalArgumentException.class);
    }
}
