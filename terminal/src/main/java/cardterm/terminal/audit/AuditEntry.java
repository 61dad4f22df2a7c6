package cardterm.terminal.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of the terminal's local audit log: who ({@code staffId}) did what ({@code action}) to
 * what ({@code subject}: a job id, a request id, a call id) and when, with details that never hold
 * personal data. {@code prevHash} and {@code hash} chain it to the entry before (see
 * {@link AuditChain}).
 */
public record AuditEntry(long seq, Instant at, String staffId, String action, String subject, ObjectNode detail,
        String prevHash, String hash) {
    /** Staff ids as the contract allows them. */
    public static final Pattern STAFF_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    /** Actions: lower case words with dots, e.g. {@code issuance.job.accepted}, {@code command}. */
    public static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9.-]{0,63}");
    /** The staff id of actions the hub ordered without naming a person (rebirth, log-level, ...). */
    public static final String HUB = "hub";
    /** The staff id of what the terminal did on its own (recovery after a crash). */
    public static final String TERMINAL = "terminal";

    public AuditEntry {
        if (seq < 1) {
            throw new IllegalArgumentException("audit seq starts at 1");
        }
        Objects.requireNonNull(at, "at");
        if (staffId == null || !STAFF_ID.matcher(staffId).matches()) {
            throw new IllegalArgumentException("staffId must match " + STAFF_ID.pattern());
        }
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("action must match " + ACTION.pattern());
        }
        subject = subject == null ? "" : subject;
        detail = Objects.requireNonNull(detail, "detail").deepCopy();
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }

    @Override
    public ObjectNode detail() {
        return detail.deepCopy();
    }
}
