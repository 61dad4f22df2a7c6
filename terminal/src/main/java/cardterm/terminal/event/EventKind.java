package cardterm.terminal.event;

import java.util.Locale;

/**
 * The kinds of event of the hub contract, each on its own topic {@code event/{kind}}. The order is
 * the outbox priority: assist first, audit last.
 */
public enum EventKind {
    ASSIST,
    ISSUANCE,
    DEVICE,
    AUDIT;

    /** The topic segment: {@code assist}, {@code issuance}, {@code device}, {@code audit}. */
    public String topicName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** 0 is the most urgent. */
    public int priority() {
        return ordinal();
    }

    /**
     * The kind an event type belongs to, by its first segment: {@code assist.call.raised} is ASSIST;
     * {@code outbox.overflow} is DEVICE (hub-contract.md lists it with the device events).
     */
    public static EventKind ofType(String type) {
        int dot = type.indexOf('.');
        String head = dot < 0 ? type : type.substring(0, dot);
        return switch (head) {
            case "assist" -> ASSIST;
            case "issuance" -> ISSUANCE;
            case "device", "outbox" -> DEVICE;
            case "audit" -> AUDIT;
            default -> throw new IllegalArgumentException("no event kind for type " + type);
        };
    }
}
