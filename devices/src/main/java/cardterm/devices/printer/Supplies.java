package cardterm.devices.printer;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code Rsp} says: the loaded ribbon type, prints left on it, and the lifetime counts of
 * cards printed and rejected. Immutable.
 */
public record Supplies(RibbonType ribbon, int ribbonLeft, long printed, long rejected) {

    public Supplies {
        Objects.requireNonNull(ribbon, "ribbon");
        if (ribbonLeft < 0 || printed < 0 || rejected < 0) {
            throw new IllegalArgumentException("supply counts cannot be negative");
        }
    }

    /**
     * Parses {@code ribbon=<type>;left=<n>;printed=<n>;rejected=<n>}.
     *
     * @throws IllegalArgumentException when the line is not a supplies line
     */
    public static Supplies parse(String line) {
        Map<String, String> kv = new HashMap<>();
        for (String part : line.split(";", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a supplies line");
            }
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        String ribbon = kv.get("ribbon");
        if (ribbon == null || !kv.containsKey("left") || !kv.containsKey("printed") || !kv.containsKey("rejected")) {
            throw new IllegalArgumentException("supplies line lacks a field");
        }
        try {
            return new Supplies(RibbonType.ofCode(ribbon), Integer.parseInt(kv.get("left")),
                    Long.parseLong(kv.get("printed")), Long.parseLong(kv.get("rejected")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in supplies line");
        }
    }

    public String toWire() {
        return "ribbon=" + ribbon.name() + ";left=" + ribbonLeft + ";printed=" + printed + ";rejected=" + rejected;
    }

    @Override
    public String toString() {
        return toWire();
    }
}
