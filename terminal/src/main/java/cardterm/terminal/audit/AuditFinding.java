package cardterm.terminal.audit;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing wrong with the stored audit log, found by {@link AuditVerifier}: what ({@link Kind}),
 * where (the seq it concerns) and a sentence for a person.
 */
public record AuditFinding(Kind kind, long seq, String message) {
    /** What is wrong. Its wire name (in {@code audit.integrity} events) is the lower-case name. */
    public enum Kind {
        /** An entry's content no longer matches its hash, or an entry is not the one the terminal wrote. */
        EDITED,
        /** Entries are absent between two that remain (removed). */
        MISSING,
        /** An entry is not in its place: moved, renumbered, or chained to another entry than the one before it. */
        REORDERED,
        /** Entries the terminal wrote last are gone: the log ends below its high-water mark. */
        TRUNCATED,
        /** Entries stand above the highest seq the terminal recorded writing. */
        INSERTED,
        /** Every record of the chain's head (high-water mark, head row, head file) is gone or unreadable. */
        ANCHOR;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AuditFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        if (seq < 1) {
            throw new IllegalArgumentException("a finding names a seq from 1");
        }
    }

    @Override
    public String toString() {
        return message;
    }
}
