package cardterm.terminal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cases hub-contract.md and the brief name, spelled out; the rest are in {@link ContractCasesTest}. */
class ContractSchemasTest {
    private static final String ROOT = "cardterm/v1/wz-lucheng-01/t-0042/";

    private static String completed(String seqField, String data) {
        return "{\"id\":\"0193a9f2-7c1e-7b3a-9c4d-3f2a1b0c9d8e\"," + seqField + "\"ts\":\"2026-11-26T10:15:30.123+08:00\","
                + "\"type\":\"issuance.completed\",\"terminal\":\"t-0042\",\"site\":\"wz-lucheng-01\",\"data\":" + data + "}";
    }

    private static final String COMPLETED_DATA = "{\"jobId\":\"J-20261126-0001\",\"staffId\":\"S1024\",\"elderly\":true,"
            + "\"concession\":\"free\",\"ms\":{\"total\":41250,\"chip\":8600,\"print\":27400},\"promisedMs\":300000";

    @Test
    void theSpecsEnvelopePasses() {
        String event = completed("\"seq\":1234,", COMPLETED_DATA + "}");

        assertThat(ContractSchemas.validate(ROOT + "event/issuance", event)).isEmpty();
    }

    @Test
    void anEventWithoutSeqFails() {
        String event = completed("", COMPLETED_DATA + "}");

        assertThat(ContractSchemas.validate(ROOT + "event/issuance", event))
                .anySatisfy(e -> assertThat(e).contains("event.json").contains("seq"));
    }

    @Test
    void anUnmaskedIdNumberFailsAndTheErrorsDoNotRepeatIt() {
        String id = "330302195201011231";
        String masked = completed("\"seq\":1,", COMPLETED_DATA + ",\"maskedId\":\"330302********1231\"}");
        String unmasked = completed("\"seq\":1,", COMPLETED_DATA + ",\"maskedId\":\"" + id + "\"}");
        String asIdNumber = completed("\"seq\":1,", COMPLETED_DATA + ",\"idNumber\":\"" + id + "\",\"name\":\"张三\"}");

        assertThat(ContractSchemas.validate(ROOT + "event/issuance", masked)).isEmpty();
        List<String> e1 = ContractSchemas.validate(ROOT + "event/issuance", unmasked);
        List<String> e2 = ContractSchemas.validate(ROOT + "event/issuance", asIdNumber);
        assertThat(e1).anySatisfy(e -> assertThat(e).contains("$.data.maskedId"));
        assertThat(e2).anySatisfy(e -> assertThat(e).contains("idNumber"));
        assertThat(e2).anySatisfy(e -> assertThat(e).contains("name"));
        assertThat(String.join("\n", e1) + String.join("\n", e2)).doesNotContain(id).doesNotContain("张三");
    }

    @Test
    void aBadTopicSegmentFails() {
        String will = "{\"online\":false,\"bdSeq\":1}";

        assertThat(ContractSchemas.validate(ROOT + "state", will)).isEmpty();
        assertThat(ContractSchemas.validate("cardterm/v1/WZ_01/t-0042/state", will))
                .containsExactly("topic: site segment does not match [a-z0-9][a-z0-9-]{0,31}");
        assertThat(ContractSchemas.validate("cardterm/v1/wz-01/t 42/state", will))
                .containsExactly("topic: terminal segment does not match [a-z0-9][a-z0-9-]{0,31}");
        assertThat(ContractSchemas.validate(ROOT + "event/misc", completed("\"seq\":1,", COMPLETED_DATA + "}")))
                .containsExactly("topic: event kind must be issuance, assist, device or audit");
        assertThat(ContractSchemas.validate("cardterm/v1/wz-01", will)).singleElement().asString()
                .startsWith("topic: must be cardterm/v1/{site}/{terminal}/<suffix>");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String event = "{\"id\":\"x\",\"seq\":0,\"ts\":\"yesterday\",\"type\":\"issuance.step\",\"terminal\":\"t-0042\","
                + "\"site\":\"wz-lucheng-01\",\"data\":{\"step\":\"laminated\"}}";

        List<String> errors = ContractSchemas.validate("cardterm/v1/Site/t-0042/event/issuance", event);

        assertThat(errors).anySatisfy(e -> assertThat(e).contains("site segment"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("$.seq"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("$.ts"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("jobId"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("$.data.step"));
    }

    @Test
    void aSignedCommandIsCheckedInsideItsBody() {
        String body = "{\"requestId\":\"R-1\",\"issuedAt\":\"2026-11-26T10:15:00+08:00\",\"terminal\":\"t-0042\","
                + "\"name\":\"call-ack\",\"args\":{\"callId\":\"C-1\",\"staffId\":\"S1024\"}}";
        byte[] ok = SignedCommand.signed(SignedCommand.EXAMPLE_KEY, body);
        byte[] noStaff = SignedCommand.signed(SignedCommand.EXAMPLE_KEY, body.replace(",\"staffId\":\"S1024\"", ""));

        assertThat(ContractSchemas.validate(ROOT + "cmd/call-ack", ok)).isEmpty();
        assertThat(ContractSchemas.validate(ROOT + "cmd/call-resolve", ok))
                .containsExactly("command body: name is not the topic's command (call-resolve)");
        assertThat(ContractSchemas.validate(ROOT + "cmd/call-ack", noStaff))
                .singleElement().asString().startsWith("body command-body.json").contains("staffId");
    }

    @Test
    void theSignatureIsTheHmacOfTheTrimmedKeyText() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertThat(SignedCommand.sig("  Jefe\n", "what do ya want for nothing?"))
                .isEqualTo("W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
    }

    @Test
    void deliveryFollowsTheTopicTable() {
        assertThat(ContractSchemas.delivery(ROOT + "state")).contains(new ContractSchemas.Delivery(1, true));
        assertThat(ContractSchemas.delivery(ROOT + "health")).contains(new ContractSchemas.Delivery(1, true));
        assertThat(ContractSchemas.delivery(ROOT + "metrics")).contains(new ContractSchemas.Delivery(0, false));
        assertThat(ContractSchemas.delivery(ROOT + "event/audit")).contains(new ContractSchemas.Delivery(1, false));
        assertThat(ContractSchemas.delivery(ROOT + "cmd/issue")).contains(new ContractSchemas.Delivery(1, false));
        assertThat(ContractSchemas.delivery(ROOT + "reply")).contains(new ContractSchemas.Delivery(1, false));
        assertThat(ContractSchemas.delivery(ROOT + "status")).isEmpty();
    }

    @Test
    void badBytesAreReportedNotThrown() {
        byte[] latin1 = "{\"online\":false,\"bdSeq\":1,\"x\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(ContractSchemas.validate(ROOT + "state", latin1)).containsExactly("payload: not UTF-8");
        assertThat(ContractSchemas.validate(ROOT + "state", new byte[0])).containsExactly("payload: empty");
        assertThat(ContractSchemas.validate(ROOT + "state", "张三 330302195201011231".getBytes(StandardCharsets.UTF_8)))
                .singleElement().asString()
                .startsWith("payload: not JSON (syntax error at line 1")
                .doesNotContain("张三").doesNotContain("330302195201011231");
        assertThatThrownBy(() -> ContractSchemas.assertValid(ROOT + "state", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("breaks the hub contract")
                .hasMessageContaining("state.json");
    }
}
