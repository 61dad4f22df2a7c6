package cardterm.terminal.config;

import cardterm.devices.check.Problems;
import cardterm.devices.gpio.ActiveLevel;
import cardterm.devices.gpio.Pull;
import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.assist.AssistConfig.ButtonConfig;
import cardterm.terminal.assist.AssistConfig.Post;
import cardterm.terminal.assist.AssistConfig.Timing;
import cardterm.terminal.config.ConfigReader.Section;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The assistance calls: {@code posts}, {@code supervisors}, {@code buttons} and {@code assist},
 * into one {@link AssistConfig}, whose own check runs here too.
 */
final class AssistSection {
    /** The config's timings when not given: 30 ms debounce, 3 s long press, stuck after 60 s, B after 60 s. */
    static final Timing DEFAULT_TIMING = new Timing(Duration.ofMillis(30), Duration.ofSeconds(3),
            Duration.ofSeconds(60), Duration.ofSeconds(60), Timing.DEFAULT.reminderGap());
    private static final int MAX_PIN = 53;
    private static final int MAX_LABEL = 64;
    /** {@code buttons[].pull} as written, in this order. */
    private static final List<Pull> PULLS = List.of(Pull.UP, Pull.DOWN, Pull.NONE);
    private static final Pattern POST_FIELD = Pattern.compile("posts\\.([^.]*)(\\..*)?");

    private final ConfigReader r;
    /** Post names that passed their pattern, for checking buttons[].post even when posts have problems. */
    private final Set<String> postNamesSeen = new LinkedHashSet<>();
    /** Post name to where it is defined ({@code posts[i]}). */
    private final Map<String, String> postPaths = new HashMap<>();

    private AssistSection(ConfigReader r) {
        this.r = r;
    }

    /** The assistance call settings, or null when something is wrong (reported). */
    static AssistConfig map(ConfigReader r, Section root) {
        return new AssistSection(r).root(root);
    }

    private AssistConfig root(Section s) {
        int mark = r.mark();
        Map<String, Post> posts = posts(s);
        List<String> supervisors = staffList(s, "supervisors");
        List<ButtonConfig> buttons = buttons(s);
        JsonNode buttonsNode = s.raw("buttons");
        boolean hasButtons = buttonsNode != null && buttonsNode.isArray() && !buttonsNode.isEmpty();
        if (hasButtons && s.valid("supervisors") && (supervisors == null || supervisors.isEmpty())
                && !StaffSection.namesSupervisor(s.raw("staff"))) {
            r.problem("supervisors", "required when there are buttons: unacknowledged calls escalate to a supervisor");
        }
        Timing timing = timing(s.section("assist"));
        if (!r.cleanSince(mark)) {
            return null;
        }
        List<String> sup = supervisors == null ? List.of() : supervisors;
        if (sup.isEmpty() && hasButtons) {
            sup = StaffSection.registrySupervisors(s.raw("staff"));
        }
        Problems found = AssistConfig.check(buttons, posts, sup, timing);
        if (!found.isEmpty()) {
            r.settingsProblems(found, this::configPath);
            return null;
        }
        return new AssistConfig(buttons, posts, sup, timing);
    }

    private Map<String, Post> posts(Section root) {
        List<Section> items = root.items("posts");
        if (items == null) {
            return root.valid("posts") ? Map.of() : null;
        }
        int mark = r.mark();
        Map<String, Post> out = new LinkedHashMap<>();
        for (Section p : items) {
            String name = p.required("name");
            if (r.matches(p.path("name"), name, TerminalConfig.NAME)) {
                postNamesSeen.add(name);
                String earlier = postPaths.putIfAbsent(name, p.path);
                if (earlier != null) {
                    r.problem(p.path("name"), "post '" + name + "' is already defined at " + earlier);
                }
            }
            List<String> a = staffList(p, "a");
            List<String> b = staffList(p, "b");
            if (a == null && p.valid("a")) {
                p.missing("a");
            } else if (a != null && a.isEmpty()) {
                r.problem(p.path("a"), "needs at least one staff id");
            }
            if (b == null && p.valid("b")) {
                p.missing("b");
            } else if (b != null && b.isEmpty()) {
                r.problem(p.path("b"), "needs at least one staff id: B covers when A is away");
            }
            if (a != null && b != null) {
                for (String id : b) {
                    if (a.contains(id)) {
                        r.problem(p.path("b"), "staff " + id + " is on both a and b of this post");
                    }
                }
            }
            if (name != null && a != null && b != null) {
                out.putIfAbsent(name, new Post(a, b));
            }
        }
        return r.cleanSince(mark) ? out : null;
    }

    /** A list of staff ids under {@code key}; null when absent or invalid. */
    private List<String> staffList(Section s, String key) {
        List<String> ids = s.list(key);
        if (ids == null) {
            return null;
        }
        int mark = r.mark();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String itemPath = s.path(key) + "[" + i + "]";
            String id = ids.get(i);
            if (r.matches(itemPath, id, TerminalConfig.STAFF_ID) && !seen.add(id)) {
                r.problem(itemPath, "staff " + id + " is listed twice");
            }
        }
        if (!r.cleanSince(mark)) {
            s.invalid.add(key);
            return null;
        }
        return ids;
    }

    private List<ButtonConfig> buttons(Section root) {
        List<Section> items = root.items("buttons");
        if (items == null) {
            return root.valid("buttons") ? List.of() : null;
        }
        int mark = r.mark();
        Set<String> postNames = postNamesSeen;
        Map<String, String> ids = new HashMap<>();
        Map<Integer, String> pins = new LinkedHashMap<>();
        List<ButtonConfig> out = new ArrayList<>();
        for (Section b : items) {
            int itemMark = r.mark();
            String id = b.required("id");
            if (r.matches(b.path("id"), id, TerminalConfig.NAME)) {
                String earlier = ids.putIfAbsent(id, b.path);
                if (earlier != null) {
                    r.problem(b.path("id"), "button id '" + id + "' is already used by " + earlier);
                }
            }
            Integer pin = b.integer("pin", null, 0, MAX_PIN);
            pinInUse(pins, b.path("pin"), pin);
            Pull pull = b.choice("pull", PULLS, Pull.UP);
            Boolean activeLow = b.bool("activeLow", Boolean.TRUE);
            String location = b.required("location");
            if (location != null && (location.length() > MAX_LABEL || location.chars().anyMatch(Character::isISOControl))) {
                r.problem(b.path("location"), "must be one line of at most " + MAX_LABEL + " characters");
            }
            String post = b.required("post");
            if (post != null && !postNames.contains(post)) {
                r.problem(b.path("post"), "names no post" + (postNames.isEmpty() ? " (there are no posts)"
                        : Suggest.nearest(post, postNames).map(n -> "; did you mean '" + n + "'?")
                                .orElse("; posts are: " + String.join(", ", postNames))));
            }
            Integer lamp = outputPin(b, "lamp", pins);
            Integer buzzer = outputPin(b, "buzzer", pins);
            if (r.cleanSince(itemMark)) {
                out.add(new ButtonConfig(id, location, post, new AssistConfig.Wiring(pin, lamp, buzzer, pull,
                        activeLow ? ActiveLevel.LOW : ActiveLevel.HIGH, ActiveLevel.HIGH)));
            }
        }
        return r.cleanSince(mark) ? out : null;
    }

    private Integer outputPin(Section button, String key, Map<Integer, String> pins) {
        if (!button.present(key)) {
            if (button.valid(key)) {
                button.missing(key);
            }
            return null;
        }
        Section s = button.section(key);
        Integer pin = s.integer("pin", null, 0, MAX_PIN);
        pinInUse(pins, s.path("pin"), pin);
        return pin;
    }

    private void pinInUse(Map<Integer, String> pins, String path, Integer pin) {
        if (pin == null) {
            return;
        }
        String earlier = pins.putIfAbsent(pin, path);
        if (earlier != null) {
            r.problem(path, "pin " + pin + " is already used by " + earlier);
        }
    }

    private Timing timing(Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = r.mark();
        Timing d = DEFAULT_TIMING;
        Duration debounce = s.duration("debounce", d.debounce(), Duration.ofMillis(1), Duration.ofSeconds(1));
        Duration longPress = s.duration("longPress", d.longPress(), Duration.ofMillis(100), Duration.ofMinutes(1));
        Duration stuck = s.duration("stuckAfter", d.stuckAfter(), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration toB = s.duration("escalateToB", d.escalateToB(), Duration.ofSeconds(1), Duration.ofHours(1));
        if (debounce != null && longPress != null && longPress.compareTo(debounce) <= 0) {
            r.problem(s.path("longPress"), "must be longer than assist.debounce (" + Durations.format(debounce) + ")");
        }
        if (longPress != null && stuck != null && stuck.compareTo(longPress) <= 0) {
            r.problem(s.path("stuckAfter"), "must be longer than assist.longPress (" + Durations.format(longPress) + ")");
        }
        return r.cleanSince(mark) ? new Timing(debounce, longPress, stuck, toB, d.reminderGap()) : null;
    }

    /** Where in the config a field that {@link AssistConfig#check} names comes from. */
    private String configPath(String field) {
        Matcher post = POST_FIELD.matcher(field);
        if (post.matches()) {
            String rest = post.group(2) == null ? "" : post.group(2);
            return postPaths.getOrDefault(post.group(1), "posts")
                    + rest.replaceFirst("^\\.aStaff", ".a").replaceFirst("^\\.bStaff", ".b");
        }
        if (field.startsWith("timing")) {
            return "assist" + field.substring("timing".length());
        }
        return field.replace(".wiring.buttonPin", ".pin")
                .replace(".wiring.lampPin", ".lamp.pin")
                .replace(".wiring.buzzerPin", ".buzzer.pin")
                .replace(".wiring.pull", ".pull")
                .replace(".wiring.buttonActive", ".activeLow")
                .replace(".wiring", "");
    }
}
