package cardterm.terminal.config;

import cardterm.devices.check.Problems;
import cardterm.terminal.config.ConfigSchema.Group;
import cardterm.terminal.config.ConfigSchema.GroupList;
import cardterm.terminal.config.ConfigSchema.Key;
import cardterm.terminal.config.ConfigSchema.ScalarList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The generic typed reader under the section mappers: walks the (environment-overlaid) tree
 * against {@link ConfigSchema}, reads typed values (whole numbers, durations, booleans, choices,
 * paths, lists) and collects every problem with its key path, naming the {@code CARDTERM_...}
 * variable that set a value and suggesting the nearest key for an unknown one. Knows no section's
 * rules.
 */
final class ConfigReader {
    private static final int MAX_LIST_ITEMS = 1000;
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(_\\d+)*");

    private final Problems problems;
    private final Map<String, String> envOrigin;
    private final Path baseDir;
    private final boolean checkFiles;
    /**
     * Values that could not be mapped so far; a section's settings are made only when this did
     * not grow while mapping it.
     */
    private int failures;

    ConfigReader(Problems problems, Map<String, String> envOrigin, Path baseDir, boolean checkFiles) {
        this.problems = problems;
        this.envOrigin = envOrigin;
        this.baseDir = baseDir;
        this.checkFiles = checkFiles;
    }

    /** The top of the file. */
    Section root(ObjectNode node) {
        return new Section("", node, ConfigSchema.ROOT);
    }

    /** A mark to compare with {@link #cleanSince} after mapping a part. */
    int mark() {
        return failures;
    }

    /** Whether nothing failed since {@code mark}. */
    boolean cleanSince(int mark) {
        return failures == mark;
    }

    /** Whether referenced files are read and checked. */
    boolean checksFiles() {
        return checkFiles;
    }

    /** Whether a problem was reported at exactly {@code path}. */
    boolean reported(String path) {
        return problems.list().stream().anyMatch(q -> path.equals(q.field()));
    }

    /**
     * Reports the problems a part's own settings check found (fields named as the part names them),
     * each at the config path {@code toPath} gives; one already reported there is not repeated.
     */
    void settingsProblems(Problems found, UnaryOperator<String> toPath) {
        for (Problems.Problem p : found.list()) {
            String path = toPath.apply(p.field());
            if (!reported(path)) {
                problem(path, p.message());
            }
        }
    }

    void problem(String path, String message) {
        failures++;
        String env = envOrigin.get(path);
        if (env == null && path.endsWith("]")) {
            env = envOrigin.get(path.substring(0, path.lastIndexOf('[')));
        }
        problems.add(path, env == null ? message : message + " (set by " + env + ")");
    }

    /** Whether {@code value} (null: already reported) matches {@code pattern}; reports it if not. */
    boolean matches(String path, String value, Pattern pattern) {
        if (value == null) {
            return false;
        }
        if (!pattern.matcher(value).matches()) {
            problem(path, "'" + value + "' does not match " + pattern.pattern());
            return false;
        }
        return true;
    }

    void wholeSeconds(String path, Duration d) {
        if (d != null && d.toMillis() % 1000 != 0) {
            problem(path, "must be whole seconds, got " + Durations.format(d));
        }
    }

    /** Whether the file is there to read (always true with file checks off); reports it if not. */
    boolean file(String path, Path file) {
        if (!checkFiles) {
            return false;
        }
        if (!Files.exists(file)) {
            problem(path, "file not found: " + file);
            return false;
        }
        if (Files.isDirectory(file)) {
            problem(path, "is a directory, not a file: " + file);
            return false;
        }
        if (!Files.isReadable(file)) {
            problem(path, "cannot read the file (permissions?): " + file);
            return false;
        }
        return true;
    }

    /**
     * The text of a small secret file, checked by {@link SecretFile}'s rule (only its owner may
     * read or write it; UTF-8): every problem reported. Null when it could not be read as UTF-8
     * text. Never puts the content in a message.
     */
    String readSmall(String path, Path file) {
        SecretFile.Read read = SecretFile.read(file);
        read.problems().forEach(p -> problem(path, p));
        return read.text();
    }

    /** Items of a list written as a YAML string: comma-separated, trimmed. */
    static List<String> splitList(String text) {
        return Arrays.stream(text.split(",", -1)).map(String::strip).toList();
    }

    // ---------------------------------------------------------------------------------------

    /** One mapping of the tree at {@code path}, with typed getters that report what is wrong. */
    final class Section {
        final String path;
        private final ObjectNode node;
        private final Group schema;
        /** Keys whose value had the wrong shape (reported): not to be reported again as missing. */
        final Set<String> invalid = new HashSet<>();
        /** False when the section itself had the wrong shape: its keys are not reported missing. */
        final boolean usable;

        Section(String path, JsonNode node, Group schema) {
            this.path = path;
            this.schema = schema;
            if (node == null || node.isNull()) {
                this.node = null;
                this.usable = true;
            } else if (!node.isObject()) {
                problem(path, "expected a mapping of keys, got " + describe(node));
                this.node = null;
                this.usable = false;
            } else {
                this.node = (ObjectNode) node;
                this.usable = true;
                reportUnknownKeys();
            }
        }

        private final Set<String> misspelt = new HashSet<>();

        private void reportUnknownKeys() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!schema.keys().containsKey(k)) {
                    Optional<String> near = Suggest.nearest(k, schema.keys().keySet());
                    // a misspelt key stands for the key it resembles: its "missing" would be the same mistake
                    near.filter(n -> !node.has(n)).ifPresent(misspelt::add);
                    problem(path(k), "unknown key" + near.map(n -> "; did you mean '" + n + "'?")
                            .orElse("; valid keys here: " + String.join(", ", schema.keys().keySet())));
                }
            }
        }

        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        JsonNode raw(String key) {
            if (!schema.keys().containsKey(key)) {
                throw new IllegalStateException("not in the schema: " + path(key));
            }
            if (node == null) {
                return null;
            }
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : v;
        }

        /** Whether the key holds a value (not absent, not null, not blank). */
        boolean present(String key) {
            JsonNode v = raw(key);
            return v != null && !(v.isTextual() && v.asText().isBlank());
        }

        /** Whether the key was not reported for a wrong shape (so "missing" makes sense to say). */
        boolean valid(String key) {
            raw(key);
            return usable && !invalid.contains(key);
        }

        void missing(String key) {
            String p = path(key);
            if (!valid(key)) {
                return; // its wrong shape is reported (and counted) already
            }
            if (misspelt.contains(key)) {
                failures++; // reported once, as the misspelt key that should have been this one
                return;
            }
            if (reported(p)) {
                failures++; // e.g. an alias reported by the YAML reader: a value is still missing
            } else {
                problem(p, "required value missing");
            }
        }

        /** The scalar text of {@code key}, or null when absent or blank, or not a scalar (reported). */
        String string(String key) {
            JsonNode v = raw(key);
            if (v == null) {
                return null;
            }
            if (!v.isValueNode()) {
                invalid.add(key);
                problem(path(key), "expected a single value, got " + describe(v));
                return null;
            }
            String s = v.asText().strip();
            return s.isEmpty() ? null : s;
        }

        String required(String key) {
            String s = string(key);
            if (s == null) {
                missing(key);
            }
            return s;
        }

        /** A whole number in [min, max]; {@code def} when absent (null def: required). */
        Integer integer(String key, Integer def, int min, int max) {
            String s = string(key);
            if (s == null) {
                if (def == null) {
                    missing(key);
                }
                return valid(key) ? def : null;
            }
            if (!INTEGER.matcher(s).matches()) {
                problem(path(key), "expected a whole number, got '" + s + "'");
                return null;
            }
            long n;
            try {
                n = Long.parseLong(s.replace("_", "").replace("+", ""));
            } catch (NumberFormatException e) {
                n = s.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            if (n < min || n > max) {
                problem(path(key), max == Integer.MAX_VALUE ? "must be at least " + min + ", got " + s
                        : "must be between " + min + " and " + max + ", got " + s);
                return null;
            }
            return (int) n;
        }

        Boolean bool(String key, Boolean def) {
            String s = string(key);
            if (s == null) {
                return valid(key) ? def : null;
            }
            switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> {
                    return Boolean.TRUE;
                }
                case "false", "no", "off" -> {
                    return Boolean.FALSE;
                }
                default -> {
                    problem(path(key), "expected true or false, got '" + s + "'");
                    return null;
                }
            }
        }

        Duration duration(String key, Duration def, Duration min, Duration max) {
            String s = string(key);
            if (s == null) {
                return valid(key) ? def : null;
            }
            Optional<Duration> d = Durations.parse(s);
            if (d.isEmpty()) {
                problem(path(key), "expected a duration such as 500ms, 3s, 10m or 1h, got '" + s + "'");
                return null;
            }
            if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
                problem(path(key), "must be between " + Durations.format(min) + " and " + Durations.format(max)
                        + ", got " + s);
                return null;
            }
            return d.get();
        }

        /** One of the enum's constants written in lower case; {@code def} when absent (null: required). */
        <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
            return choice(key, List.of(type.getEnumConstants()), def);
        }

        /** One of {@code allowed} written in lower case; {@code def} when absent (null: required). */
        <E extends Enum<E>> E choice(String key, List<E> allowed, E def) {
            String s = string(key);
            List<String> names = allowed.stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
            if (s == null) {
                if (def == null) {
                    missing(key);
                }
                return valid(key) ? def : null;
            }
            int i = names.indexOf(s.toLowerCase(Locale.ROOT));
            if (i < 0) {
                problem(path(key), "must be one of " + String.join(", ", names) + ", got '" + s + "'");
                return null;
            }
            return allowed.get(i);
        }

        /** A path; relative ones are resolved against the config file's directory. */
        Path path(String key, boolean required, Path def) {
            String s = required ? required(key) : string(key);
            if (s == null) {
                return valid(key) ? def : null;
            }
            try {
                return baseDir.resolve(s).normalize();
            } catch (InvalidPathException e) {
                problem(path(key), "not a file path: '" + s + "'");
                return null;
            }
        }

        /** A list of scalars: a YAML list or one comma-separated string; null when absent or invalid. */
        List<String> list(String key) {
            if (!(schema.keys().get(key) instanceof ScalarList)) {
                throw new IllegalStateException("not a list in the schema: " + path(key));
            }
            JsonNode v = raw(key);
            if (v == null) {
                return null;
            }
            List<String> items = new ArrayList<>();
            if (v.isValueNode()) {
                String text = v.asText().strip();
                if (!text.isEmpty()) {
                    items.addAll(splitList(text));
                }
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isValueNode() || item.isNull()) {
                        items.add(item.isNull() ? "" : null);
                    } else {
                        items.add(item.asText().strip());
                    }
                }
            } else {
                invalid.add(key);
                problem(path(key), "expected a list, got " + describe(v));
                return null;
            }
            if (items.size() > MAX_LIST_ITEMS) {
                invalid.add(key);
                problem(path(key), "has " + items.size() + " items; at most " + MAX_LIST_ITEMS);
                return null;
            }
            boolean ok = true;
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) == null) {
                    problem(path(key) + "[" + i + "]", "expected a single value, got " + describe(v.get(i)));
                    ok = false;
                } else if (items.get(i).isEmpty()) {
                    problem(path(key) + "[" + i + "]", "empty item");
                    ok = false;
                }
            }
            if (!ok) {
                invalid.add(key);
                return null;
            }
            return List.copyOf(items);
        }

        /** The sub-mapping under {@code key}; an empty one when absent. */
        Section section(String key) {
            Key k = schema.keys().get(key);
            if (!(k instanceof Group g)) {
                throw new IllegalStateException("not a section in the schema: " + path(key));
            }
            Section s = new Section(path(key), raw(key), g);
            if (!s.usable) {
                invalid.add(key);
            }
            return s;
        }

        /** The mappings of a list under {@code key}; null when absent or not a list (reported). */
        List<Section> items(String key) {
            Key k = schema.keys().get(key);
            if (!(k instanceof GroupList gl)) {
                throw new IllegalStateException("not a list of sections in the schema: " + path(key));
            }
            JsonNode v = raw(key);
            if (v == null) {
                return null;
            }
            if (!v.isArray()) {
                invalid.add(key);
                problem(path(key), "expected a list, got " + describe(v));
                return null;
            }
            if (v.size() > MAX_LIST_ITEMS) {
                invalid.add(key);
                problem(path(key), "has " + v.size() + " items; at most " + MAX_LIST_ITEMS);
                return null;
            }
            List<Section> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                String itemPath = path(key) + "[" + i + "]";
                if (item.isNull()) {
                    problem(itemPath, "empty item");
                    continue;
                }
                Section s = new Section(itemPath, item, gl.item());
                if (s.usable) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isNull()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return "'" + n.asText() + "'";
    }
}
