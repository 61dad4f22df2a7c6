package cardterm.terminal.config;

import cardterm.devices.check.Problems;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a plain tree: mappings, lists, scalars kept as their written text (so
 * {@code 0042} stays {@code 0042}; the mapper parses numbers and booleans itself) and nulls.
 * Reports duplicate keys, aliases and syntax errors (with line and column) as problems.
 */
final class YamlTree {
    private static final int MAX_DEPTH = 32;
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final YAMLParser parser;
    private final Problems problems;

    private YamlTree(YAMLParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /**
     * The tree of {@code text}, or null when it holds no document or does not parse (the
     * problem is in {@code problems}).
     */
    static JsonNode read(String text, Problems problems) {
        try (YAMLParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                problems.add("", "the file is empty");
                return null;
            }
            YamlTree t = new YamlTree(p, problems);
            JsonNode root = t.value("", 0);
            if (root != null && p.nextToken() != null) {
                problems.add("", "a second YAML document starts at line " + line(p.currentTokenLocation())
                        + "; keep the whole configuration in one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            problems.add("", syntaxMessage(e));
            return null;
        } catch (IOException e) {
            problems.add("", "cannot read the YAML text: " + e.getMessage());
            return null;
        }
    }

    private JsonNode value(String path, int depth) throws IOException {
        JsonToken t = parser.currentToken();
        if (depth > MAX_DEPTH) {
            problems.add(path, "nested deeper than " + MAX_DEPTH + " levels");
            parser.skipChildren();
            return null;
        }
        switch (t) {
            case START_OBJECT -> {
                return object(path, depth);
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode v = value(path + "[" + i + "]", depth + 1);
                    a.add(v == null ? NullNode.getInstance() : v);
                    i++;
                }
                return a;
            }
            case VALUE_NULL -> {
                return NullNode.getInstance();
            }
            default -> {
                if (parser.isCurrentAlias()) {
                    problems.add(path, "YAML aliases (*" + parser.getText() + ") are not supported; write the value out");
                    return NullNode.getInstance();
                }
                return TextNode.valueOf(parser.getText());
            }
        }
    }

    private ObjectNode object(String path, int depth) throws IOException {
        ObjectNode o = NODES.objectNode();
        Map<String, Integer> lines = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int line = line(parser.currentTokenLocation());
            String keyPath = path.isEmpty() ? key : path + "." + key;
            parser.nextToken();
            JsonNode v = value(keyPath, depth + 1);
            Integer first = lines.putIfAbsent(key, line);
            if (first != null) {
                problems.add(keyPath, "duplicate key (lines " + first + " and " + line + "); write it once");
                continue;
            }
            o.set(key, v == null ? NullNode.getInstance() : v);
        }
        return o;
    }

    private static int line(JsonLocation loc) {
        return loc == null ? 0 : loc.getLineNr();
    }

    /** One line: where the syntax error is and what it is. */
    static String syntaxMessage(JsonProcessingException e) {
        Throwable c = e.getCause();
        if (c instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            StringBuilder sb = new StringBuilder("invalid YAML at ").append(at(m.getProblemMark()))
                    .append(": ").append(oneLine(m.getProblem()));
            if (m.getContext() != null && m.getContextMark() != null) {
                sb.append(" (").append(oneLine(m.getContext())).append(" at ").append(at(m.getContextMark())).append(')');
            }
            return sb.toString();
        }
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return "invalid YAML" + where + ": " + oneLine(e.getOriginalMessage());
    }

    private static String at(Mark m) {
        return "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
