package cardterm.devices.chip;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;

/**
 * The transit concession written to EF15 record 1: its type and the date it is valid until
 * ({@code null} only for {@link Type#NONE}).
 */
public record Concession(Type type, LocalDate validUntil) {
    /** No concession. */
    public static final Concession NONE = new Concession(Type.NONE, null);

    /** The concession kinds, with their chip byte. */
    public enum Type {
        /** {@code 00}: none. */
        NONE(0x00),
        /** {@code 01}: senior discount ("优惠卡"). */
        DISCOUNT(0x01),
        /** {@code 02}: senior free ride ("爱心卡"). */
        FREE(0x02);

        private final int chipCode;

        Type(int chipCode) {
            this.chipCode = chipCode;
        }

        /** The type byte of EF15 record 1. */
        public int chipCode() {
            return chipCode;
        }

        /** {@code none}, {@code discount} or {@code free}, as events carry it. */
        public String eventName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type ofChipCode(int code) {
            for (Type t : values()) {
                if (t.chipCode == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown concession type byte " + code);
        }
    }

    public Concession {
        Objects.requireNonNull(type, "type");
        if (type == Type.NONE) {
            validUntil = null;
        } else {
            Objects.requireNonNull(validUntil, "validUntil (needed for " + type + ")");
        }
    }

    public static Concession of(Type type, LocalDate validUntil) {
        return type == Type.NONE ? NONE : new Concession(type, validUntil);
    }

    /** Whether there is something to write into EF15. */
    public boolean granted() {
        return type != Type.NONE;
    }

    @Override
    public String toString() {
        return type == Type.NONE ? "none" : type.eventName() + " until " + validUntil;
    }
}
