package cardterm.devices.printer;

import java.util.Locale;

/** A side of the card, as {@code Db} names it: {@code front} or {@code back}. */
public enum CardSide {
    FRONT,
    BACK;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
