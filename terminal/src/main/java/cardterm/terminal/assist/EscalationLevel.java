package cardterm.terminal.assist;

/** Who has been told of a call: post A at once, post B after the wait, supervisors after twice that. */
public enum EscalationLevel {
    A("A"),
    B("B"),
    SUPERVISOR("supervisor");

    private final String wireName;

    EscalationLevel(String wireName) {
        this.wireName = wireName;
    }

    /** As in events: {@code A}, {@code B}, {@code supervisor}. */
    public String wireName() {
        return wireName;
    }
}
