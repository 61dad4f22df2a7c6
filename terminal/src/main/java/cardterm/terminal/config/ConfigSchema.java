package cardterm.terminal.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of {@code terminal.yaml}: which keys exist where, and which hold lists. The mapper
 * reads values by hand; this tree tells it which keys are unknown, and tells the environment
 * overlay which {@code CARDTERM_...} names exist.
 */
final class ConfigSchema {

    /** A key's kind. */
    sealed interface Key permits Scalar, ScalarList, Group, GroupList {
    }

    /** One value. */
    record Scalar() implements Key {
    }

    /** A list of values: a YAML list, or one string of comma-separated items. */
    record ScalarList() implements Key {
    }

    /** A mapping of named keys. */
    record Group(Map<String, Key> keys) implements Key {
        Group {
            keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        }
    }

    /** A list of mappings of the same shape. */
    record GroupList(Group item) implements Key {
    }

    private static final Scalar S = new Scalar();
    private static final ScalarList L = new ScalarList();

    static final Group ROOT = group(
            "terminal", group("id", S, "site", S, "dataDir", S, "timeZone", S),
            "hub", group(
                    "uri", L,
                    "username", S,
                    "passwordFile", S,
                    "tls", group("caFile", S, "certFile", S, "keyFile", S),
                    "keepAlive", S,
                    "connectTimeout", S,
                    "reconnect", group("initialDelay", S, "maxDelay", S),
                    "inflightWindow", S,
                    "commandKeyFile", S),
            "outbox", group("maxEvents", S),
            "health", group("interval", S, "metricsInterval", S),
            "reader", group("card", S, "sam", S),
            "printer", group(
                    "port", S,
                    "baud", S,
                    "pollInterval", S,
                    "timeouts", group("query", S, "mechanical", S)),
            "gpio", group("provider", S, "chip", S),
            "posts", new GroupList(group("name", S, "a", L, "b", L)),
            "supervisors", L,
            "buttons", new GroupList(group(
                    "id", S,
                    "pin", S,
                    "pull", S,
                    "activeLow", S,
                    "location", S,
                    "post", S,
                    "lamp", group("pin", S),
                    "buzzer", group("pin", S))),
            "assist", group("debounce", S, "longPress", S, "stuckAfter", S, "escalateToB", S),
            "issuance", group(
                    "elderlyAge", S,
                    "concessions", new GroupList(group("fromAge", S, "toAge", S, "type", S)),
                    "concessionByDefault", S,
                    "promisedDuration", S,
                    "cardFont", S),
            "logging", group("level", S),
            "staff", new GroupList(group("id", S, "name", S, "role", S, "post", S, "pinHash", S)),
            "console", group(
                    "bind", S,
                    "port", S,
                    "idleTimeout", S,
                    "tls", group("certFile", S, "keyFile", S)));

    private ConfigSchema() {
    }

    private static Group group(Object... keyThenKind) {
        Map<String, Key> m = new LinkedHashMap<>();
        for (int i = 0; i < keyThenKind.length; i += 2) {
            m.put((String) keyThenKind[i], (Key) keyThenKind[i + 1]);
        }
        return new Group(m);
    }

    /** {@code elderlyAge} -> {@code ELDERLY_AGE}. */
    static String upperSnake(String key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toUpperCase(c));
        }
        return sb.toString();
    }

    /**
     * Every value path as an environment name, with {@code {n}} for list indexes: {@code
     * CARDTERM_HUB_URI}, {@code CARDTERM_HUB_URI_{n}}, {@code CARDTERM_BUTTONS_{n}_PIN}, ...
     */
    static List<String> envNames() {
        List<String> out = new ArrayList<>();
        collectEnv(ROOT, "CARDTERM", out);
        return out;
    }

    private static void collectEnv(Group g, String prefix, List<String> out) {
        for (Map.Entry<String, Key> e : g.keys().entrySet()) {
            String name = prefix + "_" + upperSnake(e.getKey());
            switch (e.getValue()) {
                case Scalar s -> out.add(name);
                case ScalarList l -> {
                    out.add(name);
                    out.add(name + "_{n}");
                }
                case Group sub -> collectEnv(sub, name, out);
                case GroupList gl -> collectEnv(gl.item(), name + "_{n}", out);
            }
        }
    }

    /**
     * Every value path in dotted form, with {@code []} for list items: {@code hub.uri},
     * {@code buttons[].lamp.pin}.
     */
    static List<String> valuePaths() {
        List<String> out = new ArrayList<>();
        collectPaths(ROOT, "", out);
        return out;
    }

    private static void collectPaths(Group g, String prefix, List<String> out) {
        for (Map.Entry<String, Key> e : g.keys().entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            switch (e.getValue()) {
                case Scalar s -> out.add(path);
                case ScalarList l -> out.add(path);
                case Group sub -> collectPaths(sub, path, out);
                case GroupList gl -> collectPaths(gl.item(), path + "[]", out);
            }
        }
    }
}
