package cardterm.terminal.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks MQTT messages against the hub contract (hub-contract.md v1) as documented in
 * {@code docs/asyncapi.yaml} and the JSON Schemas under {@code docs/schemas}. Give it a full topic
 * and the payload bytes; it picks the schema by the topic's suffix (and, for events, by the
 * envelope's type) and returns every problem found, empty when the message keeps the contract.
 *
 * <pre>{@code
 * assertThat(ContractSchemas.validate(msg.topic(), msg.payload())).isEmpty();
 * }</pre>
 *
 * <p>Beyond the schemas it checks what a schema cannot see: the topic's form and segments, that an
 * event's {@code site}/{@code terminal} are the topic's and its type belongs to the topic's kind,
 * that a command's body parses and names the topic's command and terminal. Messages never quote the
 * payload's values, so they are safe to print even for a payload that leaks personal data.
 *
 * <p>The schema folder is found by walking up from the working directory to {@code docs/schemas}
 * (or set the system property {@value #SCHEMAS_PROPERTY}). Thread safe.
 */
public final class ContractSchemas {

    /** System property naming the schema folder, overriding the search. */
    public static final String SCHEMAS_PROPERTY = "cardterm.contract.schemas";
    /** The {@code $id} prefix of every schema file; mapped to the folder. */
    public static final String ID_PREFIX = "https://schemas.cardterm.example/hub/v1/";
    /** A site or terminal segment. */
    public static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    /** Topic root: {@code cardterm/v1}. */
    public static final String ROOT = "cardterm/v1";

    /** How a topic suffix is published (hub-contract.md, Topics). */
    public record Delivery(int qos, boolean retained) {
    }

    /** A topic taken apart. {@code detail} is the event kind or the command name, else null. */
    public record Topic(String site, String terminal, String suffix, String detail) {
        /** {@code state}, {@code health}, {@code metrics}, {@code event}, {@code cmd} or {@code reply}. */
        public String suffix() {
            return suffix;
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static volatile JsonSchemaFactory factory;

    private ContractSchemas() {
    }

    /**
     * Every way the message breaks the contract; empty when it keeps it.
     *
     * @param topic the full topic, e.g. {@code cardterm/v1/wz-lucheng-01/t-0042/event/issuance}
     * @param payload the payload bytes (UTF-8 JSON)
     */
    public static List<String> validate(String topic, byte[] payload) {
        List<String> errors = new ArrayList<>();
        Optional<Topic> parsed = parseTopic(topic, errors);
        if (payload == null) {
            errors.add("payload: missing");
            return errors;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            errors.add("payload: not UTF-8");
            return errors;
        }
        Optional<JsonNode> json = parseJson("payload", text, errors);
        if (parsed.isEmpty() || json.isEmpty()) {
            return errors;
        }
        Topic t = parsed.get();
        JsonNode node = json.get();
        switch (t.suffix()) {
            case "state" -> check("state.json", node, errors);
            case "health" -> check("health.json", node, errors);
            case "metrics" -> check("metrics.json", node, errors);
            case "reply" -> check("reply.json", node, errors);
            case "event" -> checkEvent(t, node, errors);
            case "cmd" -> checkCommand(t, node, errors);
            default -> throw new IllegalStateException(t.suffix());
        }
        return errors;
    }

    /** {@link #validate(String, byte[])} of a JSON text. */
    public static List<String> validate(String topic, String json) {
        return validate(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Throws an {@link AssertionError} listing every problem unless the message keeps the contract. */
    public static void assertValid(String topic, byte[] payload) {
        List<String> errors = validate(topic, payload);
        if (!errors.isEmpty()) {
            throw new AssertionError("message on " + topic + " breaks the hub contract:\n  " + String.join("\n  ", errors));
        }
    }

    /** QoS and retained flag the contract sets for the topic's suffix; empty for a topic outside it. */
    public static Optional<Delivery> delivery(String topic) {
        return parseTopic(topic, new ArrayList<>()).map(t -> switch (t.suffix()) {
            case "state", "health" -> new Delivery(1, true);
            case "metrics" -> new Delivery(0, false);
            default -> new Delivery(1, false);
        });
    }

    /**
     * Takes a topic apart, adding every problem with it to {@code errors}. Empty when the suffix is
     * not understood; a topic with a bad site or terminal segment is still given back (and reported).
     */
    public static Optional<Topic> parseTopic(String topic, List<String> errors) {
        if (topic == null || topic.isEmpty()) {
            errors.add("topic: missing");
            return Optional.empty();
        }
        String[] s = topic.split("/", -1);
        if (s.length < 5 || !s[0].equals("cardterm") || !s[1].equals("v1")) {
            errors.add("topic: must be " + ROOT + "/{site}/{terminal}/<suffix>, got " + s.length + " segments"
                    + (s.length >= 2 ? " starting " + s[0] + "/" + s[1] : ""));
            return Optional.empty();
        }
        if (!SEGMENT.matcher(s[2]).matches()) {
            errors.add("topic: site segment does not match " + SEGMENT.pattern());
        }
        if (!SEGMENT.matcher(s[3]).matches()) {
            errors.add("topic: terminal segment does not match " + SEGMENT.pattern());
        }
        String suffix = s[4];
        String detail = null;
        switch (suffix) {
            case "state", "health", "metrics", "reply" -> {
                if (s.length != 5) {
                    errors.add("topic: nothing may follow /" + suffix);
                }
            }
            case "event" -> {
                if (s.length != 6) {
                    errors.add("topic: must end in event/{kind}");
                } else if (!List.of("issuance", "assist", "device", "audit").contains(s[5])) {
                    errors.add("topic: event kind must be issuance, assist, device or audit");
                } else {
                    detail = s[5];
                }
            }
            case "cmd" -> {
                if (s.length != 6) {
                    errors.add("topic: must end in cmd/{name}");
                } else if (!COMMANDS.contains(s[5])) {
                    errors.add("topic: unknown command name (known: " + String.join(", ", COMMANDS) + ")");
                } else {
                    detail = s[5];
                }
            }
            default -> errors.add("topic: unknown suffix (known: state, health, metrics, event/{kind}, cmd/{name}, reply)");
        }
        boolean understood = switch (suffix) {
            case "state", "health", "metrics", "reply" -> s.length == 5;
            case "event", "cmd" -> detail != null;
            default -> false;
        };
        // bad site or terminal segments are reported, yet the payload is still checked
        return understood ? Optional.of(new Topic(s[2], s[3], suffix, detail)) : Optional.empty();
    }

    /** The command names of v1. */
    public static final List<String> COMMANDS =
            List.of("issue", "cancel", "call-ack", "call-resolve", "rebirth", "diagnose", "log-level", "printer-test");

    private static void checkEvent(Topic t, JsonNode node, List<String> errors) {
        check("event.json", node, errors);
        if (!node.isObject()) {
            return;
        }
        JsonNode type = node.get("type");
        if (type != null && type.isTextual()) {
            String kind = kindOf(type.asText());
            if (kind != null && !kind.equals(t.detail())) {
                errors.add("topic: an event of type " + type.asText() + " goes to event/" + kind + ", not event/" + t.detail());
            }
        }
        sameAsTopic(node, "site", t.site(), "event", errors);
        sameAsTopic(node, "terminal", t.terminal(), "event", errors);
    }

    private static void checkCommand(Topic t, JsonNode node, List<String> errors) {
        check("command.json", node, errors);
        JsonNode body = node.get("body");
        if (body == null || !body.isTextual()) {
            return;
        }
        Optional<JsonNode> parsed = parseJson("command body", body.asText(), errors);
        if (parsed.isEmpty()) {
            return;
        }
        JsonNode b = parsed.get();
        List<String> bodyErrors = new ArrayList<>();
        check("command-body.json", b, bodyErrors);
        bodyErrors.forEach(e -> errors.add("body " + e));
        if (b.isObject()) {
            JsonNode name = b.get("name");
            if (name != null && name.isTextual() && !name.asText().equals(t.detail())) {
                errors.add("command body: name is not the topic's command (" + t.detail() + ")");
            }
            sameAsTopic(b, "terminal", t.terminal(), "command body", errors);
        }
    }

    private static void sameAsTopic(JsonNode node, String field, String expected, String what, List<String> errors) {
        JsonNode v = node.get(field);
        if (v != null && v.isTextual() && !v.asText().equals(expected)) {
            errors.add(what + ": " + field + " is not the topic's " + field + " (" + expected + ")");
        }
    }

    /** The topic kind of an event type: its first segment; outbox.* goes to device. Null when unknown. */
    static String kindOf(String type) {
        int dot = type.indexOf('.');
        String head = dot < 0 ? type : type.substring(0, dot);
        return switch (head) {
            case "issuance", "assist", "device", "audit" -> head;
            case "outbox" -> "device";
            default -> null;
        };
    }

    private static Optional<JsonNode> parseJson(String what, String text, List<String> errors) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                errors.add(what + ": empty");
                return Optional.empty();
            }
            return Optional.of(node);
        } catch (JsonProcessingException e) {
            // the parser's own message may quote the text (personal data, perhaps): give where, not what
            String kind = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "a key appears twice" : "syntax error";
            String at = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            errors.add(what + ": not JSON (" + kind + at + ")");
            return Optional.empty();
        }
    }

    private static void check(String file, JsonNode node, List<String> errors) {
        for (ValidationMessage m : schema(file).validate(node)) {
            errors.add(file + " " + m.getMessage());
        }
    }

    /** The schema of a file under {@code docs/schemas}, e.g. {@code event.json}, {@code events/device.status.json}. */
    public static JsonSchema schema(String file) {
        return SCHEMAS.computeIfAbsent(file, f -> factory().getSchema(SchemaLocation.of(ID_PREFIX + f), config()));
    }

    private static SchemaValidatorsConfig config() {
        return SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH)
                .locale(Locale.ROOT)
                .build();
    }

    private static JsonSchemaFactory factory() {
        JsonSchemaFactory f = factory;
        if (f == null) {
            synchronized (ContractSchemas.class) {
                f = factory;
                if (f == null) {
                    String dir = schemasDir().toUri().toString();
                    f = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                            b -> b.schemaMappers(m -> m.mapPrefix(ID_PREFIX, dir)));
                    factory = f;
                }
            }
        }
        return f;
    }

    /** The folder of the contract's JSON Schemas ({@code docs/schemas}). */
    public static Path schemasDir() {
        String configured = System.getProperty(SCHEMAS_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p.resolve("common.json"))) {
                throw new IllegalStateException(SCHEMAS_PROPERTY + "=" + configured + " holds no common.json");
            }
            return p;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("docs").resolve("schemas");
            if (Files.isRegularFile(candidate.resolve("common.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no docs/schemas/common.json above " + start + "; set -D" + SCHEMAS_PROPERTY);
    }
}
