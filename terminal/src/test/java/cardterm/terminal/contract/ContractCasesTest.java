package cardterm.terminal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the sample messages under {@code contract/} (test resources) through {@link ContractSchemas}:
 * each valid case must pass, each invalid case must fail with every expected fragment among its
 * errors. A case gives {@code payload} (JSON), {@code payloadText} (raw text) or {@code command} (a
 * body, signed here with {@link SignedCommand#EXAMPLE_KEY} unless the case gives {@code sig}).
 */
class ContractCasesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> valid() throws IOException {
        return cases("contract/valid-cases.json");
    }

    static Stream<Arguments> invalid() throws IOException {
        return cases("contract/invalid-cases.json");
    }

    private static Stream<Arguments> cases(String resource) throws IOException {
        try (InputStream in = ContractCasesTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            List<Arguments> out = new ArrayList<>();
            for (JsonNode c : JSON.readTree(in)) {
                out.add(Arguments.of(c.get("case").asText(), c));
            }
            return out.stream();
        }
    }

    static byte[] payloadOf(JsonNode c) {
        if (c.has("payloadText")) {
            return c.get("payloadText").asText().getBytes(StandardCharsets.UTF_8);
        }
        if (c.has("command")) {
            String body = c.get("command").toString();
            return c.has("sig")
                    ? SignedCommand.withSig(body, c.get("sig").asText())
                    : SignedCommand.signed(SignedCommand.EXAMPLE_KEY, body);
        }
        return c.get("payload").toString().getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validCaseKeepsTheContract(String name, JsonNode c) {
        assertThat(ContractSchemas.validate(c.get("topic").asText(), payloadOf(c))).as(name).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidCaseIsCaughtWithEveryProblem(String name, JsonNode c) {
        List<String> errors = ContractSchemas.validate(c.get("topic").asText(), payloadOf(c));

        assertThat(errors).as(name).isNotEmpty();
        for (JsonNode fragment : c.get("errors")) {
            assertThat(errors).as(name + ": an error mentioning " + fragment.asText())
                    .anySatisfy(e -> assertThat(e).contains(fragment.asText()));
        }
    }
}
