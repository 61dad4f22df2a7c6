package cardterm.terminal.staff;

import java.util.Locale;
import java.util.Optional;

/** What a staff member may do: serve citizens, supervise a hall, or look after the machine. */
public enum Role {
    /** Issues cards and answers assistance calls of the post they are on. */
    STAFF,
    /** Everything staff do; may resolve any call; calls escalate to them. */
    SUPERVISOR,
    /** Devices, supplies, diagnostics, the test card and the self-test; never personal data. */
    TECHNICIAN;

    /** The name as written in the config: {@code staff}, {@code supervisor}, {@code technician}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role written {@code text}, if any. */
    public static Optional<Role> parse(String text) {
        for (Role r : values()) {
            if (r.configName().equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Whether this role may see personal data (names, ID numbers) and act on jobs and calls. */
    public boolean seesPersonalData() {
        return this != TECHNICIAN;
    }
}
