package cardterm.terminal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.event.EventKind;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/asyncapi.yaml}, the schema files under {@code docs/schemas}, {@link
 * ContractSchemas} and the terminal's {@link EventKind} from drifting apart: every reference
 * resolves, every schema file is used, names and enums agree, bindings follow the topic table,
 * and every example in the document keeps the contract.
 */
class ContractDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path docs;
    private static Path schemas;
    private static JsonNode api;

    @BeforeAll
    static void load() throws IOException {
        schemas = ContractSchemas.schemasDir();
        docs = schemas.getParent();
        api = new YAMLMapper().readTree(docs.resolve("asyncapi.yaml").toFile());
    }

    private static JsonNode readJson(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new AssertionError(p + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static List<Path> schemaFiles() throws IOException {
        try (Stream<Path> s = Files.walk(schemas)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String rel(Path p) {
        return schemas.relativize(p).toString().replace('\\', '/');
    }

    /** Calls {@code each} with every {@code $ref} value under {@code node} and the path to it. */
    private static void refs(JsonNode node, String at, BiConsumer<String, String> each) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    each.accept(e.getValue().asText(), at);
                } else {
                    refs(e.getValue(), at + "/" + e.getKey(), each);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refs(node.get(i), at + "/" + i, each);
            }
        }
    }

    private static JsonNode pointer(JsonNode root, String fragment) {
        return fragment.isEmpty() ? root : root.at(JsonPointer.compile(fragment));
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<String> namesIn(String folder) throws IOException {
        try (Stream<Path> s = Files.list(schemas.resolve(folder))) {
            return s.map(p -> p.getFileName().toString().replaceFirst("\\.json$", "")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void isAnAsyncApi3Document() {
        assertThat(api.path("asyncapi").asText()).isEqualTo("3.1.0");
        assertThat(api.path("info").path("version").asText()).isEqualTo("1.0.0");
        assertThat(api.path("channels").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("state", "health", "metrics", "event", "command", "reply");
    }

    @Test
    void everyReferenceResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        refs(api, "asyncapi.yaml#", (ref, at) -> {
            String[] parts = ref.split("#", 2);
            String fragment = parts.length > 1 ? parts[1] : "";
            if (parts[0].isEmpty()) {
                if (pointer(api, fragment).isMissingNode()) {
                    broken.add(at + ": " + ref);
                }
            } else {
                Path file = docs.resolve(parts[0]).normalize();
                if (!Files.isRegularFile(file) || pointer(readJson(file), fragment).isMissingNode()) {
                    broken.add(at + ": " + ref);
                }
            }
        });
        for (Path f : schemaFiles()) {
            JsonNode root = readJson(f);
            refs(root, rel(f) + "#", (ref, at) -> {
                String[] parts = ref.split("#", 2);
                String fragment = parts.length > 1 ? parts[1] : "";
                JsonNode target = parts[0].isEmpty() ? root : null;
                if (target == null) {
                    Path file = f.getParent().resolve(parts[0]).normalize();
                    target = Files.isRegularFile(file) ? readJson(file) : null;
                }
                if (target == null || pointer(target, fragment).isMissingNode()) {
                    broken.add(at + ": " + ref);
                }
            });
        }
        assertThat(broken).as("references that lead nowhere").isEmpty();
    }

    @Test
    void everySchemaFileIsUsedNamedByItsIdAndDraft07() throws IOException {
        Set<Path> reached = new HashSet<>();
        Deque<Path> todo = new ArrayDeque<>();
        refs(api, "", (ref, at) -> {
            if (!ref.startsWith("#")) {
                todo.add(docs.resolve(ref.split("#", 2)[0]).normalize());
            }
        });
        while (!todo.isEmpty()) {
            Path f = todo.poll();
            if (reached.add(f)) {
                refs(readJson(f), "", (ref, at) -> {
                    if (!ref.startsWith("#")) {
                        todo.add(f.getParent().resolve(ref.split("#", 2)[0]).normalize());
                    }
                });
            }
        }
        for (Path f : schemaFiles()) {
            JsonNode root = readJson(f);
            assertThat(reached).as(rel(f) + " is reached from asyncapi.yaml").contains(f);
            assertThat(root.path("$id").asText()).as(rel(f) + " $id").isEqualTo(ContractSchemas.ID_PREFIX + rel(f));
            assertThat(root.path("$schema").asText()).as(rel(f) + " $schema").isEqualTo("http://json-schema.org/draft-07/schema#");
        }
    }

    @Test
    void everySchemaFileIsAValidSchemaAndLoads() throws IOException {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(SchemaLocation.of("http://json-schema.org/draft-07/schema#"));
        for (Path f : schemaFiles()) {
            assertThat(meta.validate(readJson(f))).as(rel(f) + " against the draft-07 meta-schema").isEmpty();
            assertThat(ContractSchemas.schema(rel(f))).as(rel(f)).isNotNull();
        }
    }

    @Test
    void eventTypesAgreeEverywhere() throws IOException {
        Set<String> inEnvelope = texts(readJson(schemas.resolve("event.json")).path("properties").path("type").path("enum"));
        Set<String> inMessages = new TreeSet<>();
        api.path("components").path("messages").forEach(m -> {
            if (m.has("x-event-type")) {
                inMessages.add(m.get("x-event-type").asText());
            }
        });

        assertThat(inEnvelope).isEqualTo(namesIn("events")).isEqualTo(inMessages);
        for (String type : inEnvelope) {
            assertThat(ContractSchemas.kindOf(type)).as(type).isEqualTo(EventKind.ofType(type).topicName());
        }
        Set<String> kinds = Arrays.stream(EventKind.values()).map(EventKind::topicName).collect(Collectors.toCollection(TreeSet::new));
        assertThat(texts(api.at("/components/parameters/kind/enum"))).isEqualTo(kinds);
        assertThat(texts(readJson(schemas.resolve("common.json")).at("/definitions/eventKind/enum"))).isEqualTo(kinds);
    }

    @Test
    void eventOperationsCarryTheirKindOnly() {
        for (EventKind kind : EventKind.values()) {
            String name = "send" + kind.topicName().substring(0, 1).toUpperCase() + kind.topicName().substring(1) + "Events";
            JsonNode op = api.path("operations").path(name);
            assertThat(op.isMissingNode()).as("operation " + name).isFalse();
            assertThat(op.path("messages").size()).as(name).isPositive();
            for (JsonNode ref : op.path("messages")) {
                JsonNode message = resolve(resolve(ref));
                assertThat(EventKind.ofType(message.path("x-event-type").asText())).as(name).isEqualTo(kind);
            }
        }
    }

    @Test
    void commandNamesAgreeEverywhere() throws IOException {
        Set<String> names = new TreeSet<>(ContractSchemas.COMMANDS);
        Set<String> inMessages = new TreeSet<>();
        api.path("components").path("messages").forEach(m -> {
            if (m.path("payload").path("$ref").asText().equals("#/components/schemas/Command")) {
                inMessages.add(m.path("name").asText());
            }
        });
        Set<String> dispatched = new TreeSet<>();
        readJson(schemas.resolve("command-body.json")).path("allOf")
                .forEach(c -> dispatched.add(c.at("/if/properties/name/const").asText()));

        assertThat(texts(readJson(schemas.resolve("common.json")).at("/definitions/commandName/enum"))).isEqualTo(names);
        assertThat(namesIn("commands")).isEqualTo(names);
        assertThat(texts(api.at("/components/parameters/name/enum"))).isEqualTo(names);
        assertThat(inMessages).isEqualTo(names);
        assertThat(dispatched).isEqualTo(names);
    }

    @Test
    void topicSegmentsAgree() {
        String pattern = "^" + ContractSchemas.SEGMENT.pattern() + "$";

        assertThat(api.at("/components/parameters/site/x-pattern").asText()).isEqualTo(pattern);
        assertThat(api.at("/components/parameters/terminal/x-pattern").asText()).isEqualTo(pattern);
        assertThat(readJson(schemas.resolve("common.json")).at("/definitions/segment/pattern").asText()).isEqualTo(pattern);
        api.path("channels").forEach(ch -> assertThat(ch.path("address").asText()).startsWith("cardterm/v1/{site}/{terminal}/"));
    }

    @Test
    void operationsAndWillFollowTheTopicTable() {
        api.path("operations").fields().forEachRemaining(e -> {
            JsonNode op = e.getValue();
            JsonNode channel = resolve(op.path("channel"));
            String topic = channel.path("address").asText()
                    .replace("{site}", "s1").replace("{terminal}", "t1").replace("{kind}", "device").replace("{name}", "rebirth");
            ContractSchemas.Delivery d = ContractSchemas.delivery(topic).orElseThrow(() -> new AssertionError(topic));
            assertThat(op.at("/bindings/mqtt/qos").asInt(-1)).as(e.getKey() + " qos").isEqualTo(d.qos());
            assertThat(op.at("/bindings/mqtt/retain").asBoolean()).as(e.getKey() + " retain").isEqualTo(d.retained());
            assertThat(op.path("action").asText()).as(e.getKey())
                    .isEqualTo(topic.contains("/cmd/") ? "receive" : "send");
        });
        api.path("servers").forEach(s -> {
            assertThat(s.at("/bindings/mqtt/lastWill/topic").asText()).isEqualTo("cardterm/v1/{site}/{terminal}/state");
            assertThat(s.at("/bindings/mqtt/lastWill/qos").asInt()).isEqualTo(1);
            assertThat(s.at("/bindings/mqtt/lastWill/retain").asBoolean()).isTrue();
        });
    }

    @Test
    void everyMessageIsOnAChannelAndInAnOperation() {
        Set<String> onChannels = new TreeSet<>();
        Set<String> inOperations = new TreeSet<>();
        api.path("channels").fields().forEachRemaining(ch -> ch.getValue().path("messages").fields()
                .forEachRemaining(m -> onChannels.add(m.getValue().path("$ref").asText())));
        api.path("operations").forEach(op -> op.path("messages").forEach(ref -> inOperations.add(resolve(ref).path("$ref").asText())));
        Set<String> all = new TreeSet<>();
        api.path("components").path("messages").fieldNames().forEachRemaining(n -> all.add("#/components/messages/" + n));

        assertThat(onChannels).isEqualTo(all);
        assertThat(inOperations).isEqualTo(all);
    }

    @Test
    void everyExampleKeepsTheContract() {
        int examples = 0;
        for (Iterator<Map.Entry<String, JsonNode>> channels = api.path("channels").fields(); channels.hasNext(); ) {
            JsonNode channel = channels.next().getValue();
            for (JsonNode ref : channel.path("messages")) {
                JsonNode message = resolve(ref);
                assertThat(message.path("examples").size()).as(ref.path("$ref").asText() + " has examples").isPositive();
                for (JsonNode example : message.path("examples")) {
                    JsonNode payload = example.path("payload");
                    String topic = topicFor(channel.path("address").asText(), payload);
                    byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
                    assertThat(ContractSchemas.validate(topic, bytes))
                            .as("example %s of %s on %s", example.path("name").asText(), ref.path("$ref").asText(), topic)
                            .isEmpty();
                    if (payload.has("sig")) {
                        assertThat(payload.path("sig").asText()).as("sig of example " + example.path("name").asText())
                                .isEqualTo(SignedCommand.sig(SignedCommand.EXAMPLE_KEY, payload.path("body").asText()));
                    }
                    examples++;
                }
            }
        }
        assertThat(examples).isGreaterThanOrEqualTo(api.path("components").path("messages").size());
    }

    private static String topicFor(String address, JsonNode payload) {
        String topic = address
                .replace("{site}", api.at("/components/parameters/site/examples/0").asText())
                .replace("{terminal}", api.at("/components/parameters/terminal/examples/0").asText());
        if (topic.contains("{kind}")) {
            topic = topic.replace("{kind}", ContractSchemas.kindOf(payload.path("type").asText()));
        }
        if (topic.contains("{name}")) {
            try {
                topic = topic.replace("{name}", JSON.readTree(payload.path("body").asText()).path("name").asText());
            } catch (IOException e) {
                throw new AssertionError("example body is not JSON", e);
            }
        }
        return topic;
    }

    /** Follows an internal {@code $ref} of the document (or gives the node itself). */
    private static JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        if (!ref.startsWith("#")) {
            return node;
        }
        JsonNode target = api.at(JsonPointer.compile(ref.substring(1)));
        assertThat(target.isMissingNode()).as(ref).isFalse();
        return target;
    }
}
