package cardterm.terminal.staff;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may act on this terminal, through either door (hub commands and the counter console): the
 * {@code staff:} registry of the config. A config without one (written before the registry
 * existed) takes the staff ids of its posts and supervisors as known ({@link #ofIds}), none of
 * whom can sign in at the console (no PIN). Immutable.
 */
public final class StaffRegistry {
    private final Map<String, StaffMember> members;
    private final Set<String> knownIds;

    private StaffRegistry(Map<String, StaffMember> members, Set<String> knownIds) {
        this.members = members;
        this.knownIds = knownIds;
    }

    /** The registry of these members (ids unique, checked by the config). */
    public static StaffRegistry of(Collection<StaffMember> members) {
        Map<String, StaffMember> m = new LinkedHashMap<>();
        for (StaffMember s : members) {
            if (m.putIfAbsent(s.id(), s) != null) {
                throw new IllegalArgumentException("staff " + s.id() + " is listed twice");
            }
        }
        return new StaffRegistry(java.util.Collections.unmodifiableMap(m), Set.copyOf(m.keySet()));
    }

    /** No registry in the config: these ids (the posts' and supervisors') are known, nobody signs in. */
    public static StaffRegistry ofIds(Collection<String> ids) {
        return new StaffRegistry(Map.of(), Set.copyOf(ids));
    }

    public static final StaffRegistry EMPTY = of(List.of());

    /** Whether the config has a {@code staff:} registry (else only ids are known). */
    public boolean hasMembers() {
        return !members.isEmpty();
    }

    /** Whether {@code id} may act on this terminal. */
    public boolean known(String id) {
        return id != null && knownIds.contains(id);
    }

    public Optional<StaffMember> member(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(members.get(id));
    }

    /** The members in config order. */
    public List<StaffMember> members() {
        return List.copyOf(members.values());
    }

    /** The ids of members with role supervisor. */
    public List<String> supervisors() {
        return members.values().stream().filter(m -> m.role() == Role.SUPERVISOR).map(StaffMember::id).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StaffRegistry r && r.members.equals(members) && r.knownIds.equals(knownIds);
    }

    @Override
    public int hashCode() {
        return members.hashCode() * 31 + knownIds.hashCode();
    }

    @Override
    public String toString() {
        return "StaffRegistry" + (members.isEmpty() ? knownIds : members.values());
    }
}
