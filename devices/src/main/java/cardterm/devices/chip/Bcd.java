package cardterm.devices.chip;

import java.time.DateTimeException;
import java.time.LocalDate;

/** BCD dates as the profile stores them: 4 bytes {@code YYYYMMDD}. */
final class Bcd {
    private Bcd() {
    }

    public static byte[] date(LocalDate d) {
        int y = d.getYear();
        if (y < 1000 || y > 9999) {
            throw new IllegalArgumentException("year out of the 4-digit BCD range: " + y);
        }
        return new byte[] {bcd(y / 100), bcd(y % 100), bcd(d.getMonthValue()), bcd(d.getDayOfMonth())};
    }

    /** Decodes 4 BCD bytes; throws {@link IllegalArgumentException} for a non-BCD nibble or an impossible date. */
    public static LocalDate parseDate(byte[] b) {
        if (b.length != 4) {
            throw new IllegalArgumentException("a BCD date has 4 bytes, not " + b.length);
        }
        int y = digits(b[0]) * 100 + digits(b[1]);
        try {
            return LocalDate.of(y, digits(b[2]), digits(b[3]));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a real date in BCD", e);
        }
    }

    private static byte bcd(int v) {
        return (byte) (((v / 10) << 4) | (v % 10));
    }

    private static int digits(byte b) {
        int hi = (b >> 4) & 0x0F;
        int lo = b & 0x0F;
        if (hi > 9 || lo > 9) {
            throw new IllegalArgumentException("not BCD");
        }
        return hi * 10 + lo;
    }
}
