package cardterm.terminal.config;

import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.staff.PinHash;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffMember;
import cardterm.terminal.staff.StaffRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code staff}: the staff registry (id, display name, role, post A/B, PIN hash), checked against
 * the assistance calls: every staff id of {@code posts} and {@code supervisors} must be in it (on
 * the same post letter; supervisors with role supervisor). The registry's supervisors join
 * {@code supervisors}: one notion of who may resolve any call. Without a {@code staff} key, the
 * ids of posts and supervisors are the known staff (an older config) and nobody signs in at the
 * console.
 */
final class StaffSection {
    private static final int MAX_NAME = 64;
    private static final List<Role> ROLES = List.of(Role.STAFF, Role.SUPERVISOR, Role.TECHNICIAN);
    /** PIN of every simulated staff member (simulation only). */
    static final String SIM_PIN = "1234";
    private static volatile StaffRegistry simulation;

    private StaffSection() {
    }

    /** The registry, or null when something is wrong (reported). {@code assist} may be null (it had problems). */
    static StaffRegistry map(ConfigReader r, Section root, AssistConfig assist) {
        List<Section> items = root.items("staff");
        if (items == null) {
            if (!root.valid("staff")) {
                return null;
            }
            return assist == null ? StaffRegistry.EMPTY : idsOf(assist);
        }
        int mark = r.mark();
        Map<String, String> paths = new HashMap<>();
        List<StaffMember> out = new ArrayList<>();
        for (Section s : items) {
            int itemMark = r.mark();
            String id = s.required("id");
            if (r.matches(s.path("id"), id, TerminalConfig.STAFF_ID)) {
                String earlier = paths.putIfAbsent(id, s.path);
                if (earlier != null) {
                    r.problem(s.path("id"), "staff " + id + " is already listed at " + earlier);
                }
            }
            String name = s.required("name");
            if (name != null && (name.isBlank() || name.length() > MAX_NAME
                    || name.chars().anyMatch(Character::isISOControl))) {
                r.problem(s.path("name"), "must be one line of 1.." + MAX_NAME + " characters");
            }
            Role role = s.choice("role", ROLES, Role.STAFF);
            String post = s.string("post");
            if (post != null && !post.equals("A") && !post.equals("B")) {
                r.problem(s.path("post"), "must be A or B (AB岗), not '" + post + "'");
            }
            String hash = s.required("pinHash");
            if (hash != null) {
                PinHash.problem(hash).ifPresent(p -> r.problem(s.path("pinHash"), p));
            }
            if (r.cleanSince(itemMark)) {
                out.add(new StaffMember(id, name, role, post, hash));
            }
        }
        if (!r.cleanSince(mark)) {
            return null;
        }
        StaffRegistry registry = StaffRegistry.of(out);
        if (assist != null) {
            crossCheck(r, registry, assist, postPaths(root.raw("posts")));
        }
        return r.cleanSince(mark) ? registry : null;
    }

    /** Every id of posts and supervisors is registered, on the same letter; supervisors are supervisors. */
    private static void crossCheck(ConfigReader r, StaffRegistry registry, AssistConfig assist,
            Map<String, String> postPaths) {
        for (Map.Entry<String, AssistConfig.Post> e : assist.posts().entrySet()) {
            String at = postPaths.getOrDefault(e.getKey(), "posts");
            onPost(r, registry, at + ".a", e.getValue().aStaff(), "A");
            onPost(r, registry, at + ".b", e.getValue().bStaff(), "B");
        }
        for (String id : assist.supervisors()) {
            var m = registry.member(id);
            if (m.isEmpty()) {
                r.problem("supervisors", "staff " + id + " is not in the staff registry (staff:)");
            } else if (m.get().role() != Role.SUPERVISOR) {
                r.problem("supervisors", "staff " + id + " has role " + m.get().role().configName()
                        + " in the staff registry, not supervisor");
            }
        }
    }

    private static void onPost(ConfigReader r, StaffRegistry registry, String path, List<String> ids, String letter) {
        for (String id : ids) {
            var m = registry.member(id);
            if (m.isEmpty()) {
                r.problem(path, "staff " + id + " is not in the staff registry (staff:)");
            } else if (m.get().role() == Role.TECHNICIAN) {
                r.problem(path, "staff " + id + " is a technician: technicians answer no calls");
            } else if (m.get().post() != null && !m.get().post().equals(letter)) {
                r.problem(path, "staff " + id + " is on post " + m.get().post() + " in the staff registry, not " + letter);
            }
        }
    }

    private static Map<String, String> postPaths(JsonNode posts) {
        Map<String, String> out = new HashMap<>();
        if (posts != null && posts.isArray()) {
            for (int i = 0; i < posts.size(); i++) {
                out.putIfAbsent(posts.get(i).path("name").asText(""), "posts[" + i + "]");
            }
        }
        return out;
    }

    /** The known ids of a config without registry: its posts' staff and its supervisors. */
    static StaffRegistry idsOf(AssistConfig assist) {
        Set<String> ids = new LinkedHashSet<>();
        for (AssistConfig.Post p : assist.posts().values()) {
            ids.addAll(p.aStaff());
            ids.addAll(p.bStaff());
        }
        ids.addAll(assist.supervisors());
        return StaffRegistry.ofIds(ids);
    }

    /** {@code assist} with the registry's supervisors joined to its own. */
    static AssistConfig withSupervisors(AssistConfig assist, StaffRegistry staff) {
        Set<String> sup = new LinkedHashSet<>(assist.supervisors());
        sup.addAll(staff.supervisors());
        if (sup.size() == assist.supervisors().size()) {
            return assist;
        }
        return new AssistConfig(assist.buttons(), assist.posts(), List.copyOf(sup), assist.timing());
    }

    /** Whether the raw {@code staff} list names a supervisor (then {@code supervisors} may be left out). */
    static boolean namesSupervisor(JsonNode staff) {
        if (staff == null || !staff.isArray()) {
            return false;
        }
        for (JsonNode s : staff) {
            if (s.isObject() && "supervisor".equals(s.path("role").asText(null))) {
                return true;
            }
        }
        return false;
    }

    /** The ids of the raw {@code staff} list's supervisors (well-formed ones only). */
    static List<String> registrySupervisors(JsonNode staff) {
        List<String> out = new ArrayList<>();
        if (staff != null && staff.isArray()) {
            for (JsonNode s : staff) {
                String id = s.path("id").asText("");
                if ("supervisor".equals(s.path("role").asText(null)) && TerminalConfig.STAFF_ID.matcher(id).matches()
                        && !out.contains(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /**
     * The staff of {@code simulate} (simulation only, PIN {@value #SIM_PIN} for all): S1001, S1002
     * (post A), S2001 (post B), the supervisor S9001 and the technician T0001.
     */
    static StaffRegistry simulationStaff() {
        StaffRegistry s = simulation;
        if (s == null) {
            char[] pin = SIM_PIN.toCharArray();
            String hash = PinHash.hash(pin);
            Arrays.fill(pin, '\0');
            s = StaffRegistry.of(List.of(
                    new StaffMember("S1001", "王丽 (sim)", Role.STAFF, "A", hash),
                    new StaffMember("S1002", "陈军 (sim)", Role.STAFF, "A", hash),
                    new StaffMember("S2001", "李华 (sim)", Role.STAFF, "B", hash),
                    new StaffMember("S9001", "赵敏 (sim)", Role.SUPERVISOR, null, hash),
                    new StaffMember("T0001", "周工 (sim)", Role.TECHNICIAN, null, hash)));
            simulation = s;
        }
        return s;
    }
}
