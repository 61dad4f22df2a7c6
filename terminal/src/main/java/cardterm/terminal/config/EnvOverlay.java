package cardterm.terminal.config;

import cardterm.devices.check.Problems;
import cardterm.terminal.config.ConfigSchema.Group;
import cardterm.terminal.config.ConfigSchema.GroupList;
import cardterm.terminal.config.ConfigSchema.Key;
import cardterm.terminal.config.ConfigSchema.Scalar;
import cardterm.terminal.config.ConfigSchema.ScalarList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lays {@code CARDTERM_...} environment variables over the file's tree: {@code CARDTERM_HUB_URI}
 * sets {@code hub.uri}, {@code CARDTERM_BUTTONS_0_PIN} sets {@code buttons[0].pin}, {@code
 * CARDTERM_SUPERVISORS=S1,S2} replaces a list, {@code CARDTERM_SUPERVISORS_1} one item of it. An
 * index may name an existing item or the next one (which appends it). An empty value unsets the
 * key. A {@code CARDTERM_} name that matches no key is a problem.
 */
final class EnvOverlay {
    static final String PREFIX = "CARDTERM";
    private static final Pattern INDEX = Pattern.compile("0|[1-9]\\d{0,3}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One resolved variable: the steps (String key or Integer index) to the value it sets. */
    private record Target(String envName, String value, List<Object> steps) {
    }

    private EnvOverlay() {
    }

    /**
     * Applies every config variable of {@code env} to {@code root} and returns, for each key path
     * set (e.g. {@code buttons[0].pin}), the variable that set it.
     */
    static Map<String, String> apply(ObjectNode root, Map<String, String> env, Set<String> ignored,
            Problems problems) {
        List<Target> targets = new ArrayList<>();
        for (String name : env.keySet().stream().sorted().toList()) {
            if (!name.startsWith(PREFIX + "_") || ignored.contains(name)) {
                continue;
            }
            String[] tokens = name.substring(PREFIX.length() + 1).split("_", -1);
            List<Object> steps = new ArrayList<>();
            String error = resolve(ConfigSchema.ROOT, tokens, 0, steps, PREFIX);
            if (NO_MATCH.equals(error)) {
                error = unknown(name);
            }
            if (error != null) {
                problems.add(name, error);
            } else {
                targets.add(new Target(name, env.get(name), steps));
            }
        }
        targets.sort(Comparator.comparing(Target::steps, EnvOverlay::compareSteps));
        Map<String, String> origin = new HashMap<>();
        for (Target t : targets) {
            if (set(root, t, problems)) {
                origin.put(path(t.steps()), t.envName());
            }
        }
        return origin;
    }

    /**
     * Matches {@code tokens[i..]} against the keys of {@code g}, filling {@code steps}. Returns
     * null on a match, {@link #NO_MATCH} when no key fits, else what is wrong with the name.
     */
    private static String resolve(Group g, String[] tokens, int i, List<Object> steps, String prefix) {
        for (Map.Entry<String, Key> e : g.keys().entrySet()) {
            String[] kt = ConfigSchema.upperSnake(e.getKey()).split("_");
            if (!startsWith(tokens, i, kt)) {
                continue;
            }
            int rest = i + kt.length;
            String name = prefix + "_" + String.join("_", kt);
            steps.add(e.getKey());
            switch (e.getValue()) {
                case Scalar s -> {
                    if (rest == tokens.length) {
                        return null;
                    }
                }
                case ScalarList l -> {
                    if (rest == tokens.length) {
                        return null;
                    }
                    if (rest == tokens.length - 1 && INDEX.matcher(tokens[rest]).matches()) {
                        steps.add(Integer.parseInt(tokens[rest]));
                        return null;
                    }
                }
                case Group sub -> {
                    if (rest == tokens.length) {
                        return "names the section '" + path(steps) + "', not one value; set one of its keys, e.g. "
                                + name + "_" + ConfigSchema.upperSnake(sub.keys().keySet().iterator().next());
                    }
                    String r = resolve(sub, tokens, rest, steps, name);
                    if (!NO_MATCH.equals(r)) {
                        return r;
                    }
                }
                case GroupList gl -> {
                    String first = ConfigSchema.upperSnake(gl.item().keys().keySet().iterator().next());
                    if (rest == tokens.length) {
                        return "names the list '" + path(steps) + "'; set its items' keys by index, e.g. "
                                + name + "_0_" + first;
                    }
                    if (INDEX.matcher(tokens[rest]).matches()) {
                        String item = name + "_" + tokens[rest];
                        if (rest + 1 == tokens.length) {
                            return "names item " + tokens[rest] + " of '" + path(steps)
                                    + "'; set one of its keys, e.g. " + item + "_" + first;
                        }
                        steps.add(Integer.parseInt(tokens[rest]));
                        String r = resolve(gl.item(), tokens, rest + 1, steps, item);
                        if (!NO_MATCH.equals(r)) {
                            return r;
                        }
                        steps.removeLast();
                    }
                }
            }
            steps.removeLast();
        }
        return NO_MATCH;
    }

    private static final String NO_MATCH = "no match";

    private static String unknown(String name) {
        return "no config key matches this environment variable" + suggestion(name)
                .map(s -> "; did you mean " + s + "?")
                .orElse(" (the name is CARDTERM_ and the key path in upper snake case, e.g. CARDTERM_HUB_URI,"
                        + " CARDTERM_BUTTONS_0_PIN)");
    }

    /** The known variable nearest to {@code name}, with its indexes kept. */
    static Optional<String> suggestion(String name) {
        List<String> numbers = new ArrayList<>();
        Matcher m = Pattern.compile("_(\\d+)(?=_|$)").matcher(name);
        StringBuilder shape = new StringBuilder();
        while (m.find()) {
            numbers.add(m.group(1));
            m.appendReplacement(shape, "_{n}");
        }
        m.appendTail(shape);
        return Suggest.nearest(shape.toString(), ConfigSchema.envNames()).map(s -> {
            String out = s;
            for (int k = 0; out.contains("{n}"); k++) {
                out = out.replaceFirst("\\{n}", k < numbers.size() ? numbers.get(k) : "0");
            }
            return out;
        });
    }

    private static boolean startsWith(String[] tokens, int i, String[] kt) {
        if (tokens.length - i < kt.length) {
            return false;
        }
        for (int k = 0; k < kt.length; k++) {
            if (!tokens[i + k].equals(kt[k])) {
                return false;
            }
        }
        return true;
    }

    /** Sets the value; false (with a problem) when the file's tree has no room for it. */
    private static boolean set(ObjectNode root, Target t, Problems problems) {
        JsonNode value = t.value().isBlank() ? NullNode.getInstance() : TextNode.valueOf(t.value().strip());
        JsonNode cur = root;
        List<Object> steps = t.steps();
        for (int i = 0; i < steps.size(); i++) {
            boolean last = i == steps.size() - 1;
            Object step = steps.get(i);
            String here = path(steps.subList(0, i + 1));
            if (step instanceof String key) {
                ObjectNode o = (ObjectNode) cur;
                if (last) {
                    o.set(key, value);
                    return true;
                }
                boolean wantList = steps.get(i + 1) instanceof Integer;
                JsonNode child = o.get(key);
                if (child == null || child.isNull()) {
                    child = wantList ? NODES.arrayNode() : NODES.objectNode();
                    o.set(key, child);
                } else if (wantList && child.isTextual()) {
                    ArrayNode a = NODES.arrayNode();
                    ConfigReader.splitList(child.asText()).forEach(a::add);
                    o.set(key, a);
                    child = a;
                }
                if (wantList ? !child.isArray() : !child.isObject()) {
                    problems.add(t.envName(), "cannot be applied: '" + here + "' in the file is not a "
                            + (wantList ? "list" : "mapping"));
                    return false;
                }
                cur = child;
            } else {
                int index = (Integer) step;
                ArrayNode a = (ArrayNode) cur;
                if (index > a.size()) {
                    problems.add(t.envName(), "'" + path(steps.subList(0, i)) + "' has " + a.size()
                            + " items; an index may name one of them or the next one (" + a.size() + ")");
                    return false;
                }
                if (last) {
                    if (index == a.size()) {
                        a.add(value);
                    } else {
                        a.set(index, value);
                    }
                    return true;
                }
                if (index == a.size()) {
                    a.add(NODES.objectNode());
                } else if (a.get(index).isNull()) {
                    a.set(index, NODES.objectNode());
                }
                JsonNode child = a.get(index);
                if (!child.isObject()) {
                    problems.add(t.envName(), "cannot be applied: '" + here + "' in the file is not a mapping");
                    return false;
                }
                cur = child;
            }
        }
        return true;
    }

    /** {@code [buttons, 0, lamp, pin]} -> {@code buttons[0].lamp.pin}. */
    static String path(List<Object> steps) {
        StringBuilder sb = new StringBuilder();
        for (Object s : steps) {
            if (s instanceof Integer n) {
                sb.append('[').append(n).append(']');
            } else {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(s);
            }
        }
        return sb.toString();
    }

    private static int compareSteps(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int c;
            if (x instanceof Integer xi && y instanceof Integer yi) {
                c = Integer.compare(xi, yi);
            } else if (x instanceof String xs && y instanceof String ys) {
                c = xs.compareTo(ys);
            } else {
                c = x instanceof Integer ? 1 : -1;
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
