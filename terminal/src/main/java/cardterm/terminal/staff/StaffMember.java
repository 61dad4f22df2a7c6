package cardterm.terminal.staff;

import java.util.Objects;

/**
 * One entry of the staff registry ({@code staff:} in the config).
 *
 * @param id the staff id ({@code [A-Za-z0-9-]{1,32}}), as in commands and the audit trail
 * @param name display name, shown only to signed-in staff (never logged: {@link #toString} omits it)
 * @param role what they may do
 * @param post {@code A} or {@code B} (AB岗), or null for a supervisor or technician on no post
 * @param pinHash the PIN as {@link PinHash} keeps it
 */
public record StaffMember(String id, String name, Role role, String post, String pinHash) {
    public StaffMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(pinHash, "pinHash");
        if (post != null && !post.equals("A") && !post.equals("B")) {
            throw new IllegalArgumentException("post must be A or B: " + post);
        }
    }

    @Override
    public String toString() {
        return "StaffMember[" + id + ", " + role.configName() + (post == null ? "" : ", post " + post) + "]";
    }
}
