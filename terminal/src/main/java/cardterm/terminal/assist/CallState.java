package cardterm.terminal.assist;

/** Where an assistance call stands. */
public enum CallState {
    /** Raised, nobody has acknowledged it yet: it escalates. */
    WAITING,
    /** A staff member owns it (first-ask responsibility) and is on the way. */
    ACKNOWLEDGED,
    /** Closed by its owner or a supervisor. */
    RESOLVED,
    /** Closed by the caller (long press). */
    CANCELLED;

    public boolean open() {
        return this == WAITING || this == ACKNOWLEDGED;
    }
}
