package cardterm.devices.citizen;

import cardterm.devices.check.Problems;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Period;
import java.util.Objects;
import java.util.Optional;

/**
 * A resident ID number (GB 11643): personal data. {@link #toString()} masks it to the first 6 and
 * last 4 characters; only {@link #value()} gives the full number, for the chip and the card face.
 */
public final class ResidentId {
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private final String value;
    private final LocalDate birthDate;

    private ResidentId(String value, LocalDate birthDate) {
        this.value = value;
        this.birthDate = birthDate;
    }

    /** Parses and checks a number; every problem found goes to {@code problems} under {@code field}. */
    public static Optional<ResidentId> parse(String text, String field, Problems problems) {
        if (text == null || text.isBlank()) {
            problems.add(field, "missing");
            return Optional.empty();
        }
        String s = text.trim().toUpperCase(java.util.Locale.ROOT);
        if (!s.matches("[0-9]{17}[0-9X]")) {
            problems.add(field, "must be 17 digits and a check digit or X (got " + s.length() + " characters)");
            return Optional.empty();
        }
        boolean ok = true;
        if (s.charAt(17) != checkCharacter(s)) {
            problems.add(field, "check character does not match (the number has a typing error)");
            ok = false;
        }
        LocalDate birth = null;
        try {
            birth = LocalDate.of(
                    Integer.parseInt(s.substring(6, 10)),
                    Integer.parseInt(s.substring(10, 12)),
                    Integer.parseInt(s.substring(12, 14)));
            if (birth.getYear() < 1880) {
                problems.add(field, "birth date inside the number is not plausible: " + birth);
                ok = false;
            }
        } catch (DateTimeException e) {
            problems.add(field, "birth date inside the number is not a real date: " + s.substring(6, 14));
            ok = false;
        }
        return ok ? Optional.of(new ResidentId(s, birth)) : Optional.empty();
    }

    /** Parses a number known to be valid; throws {@link IllegalArgumentException} with every problem otherwise. */
    public static ResidentId of(String text) {
        Problems p = new Problems();
        return parse(text, "idNumber", p).orElseThrow(() -> new IllegalArgumentException(p.toString()));
    }

    /** The check character for the first 17 digits of {@code s}. */
    public static char checkCharacter(String s) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (s.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** The full number: for the chip and the card face only, never for logs or events. */
    public String value() {
        return value;
    }

    public LocalDate birthDate() {
        return birthDate;
    }

    /** Gender from the sequence number: odd = male. */
    public Gender gender() {
        return (value.charAt(16) - '0') % 2 == 1 ? Gender.MALE : Gender.FEMALE;
    }

    /** Age in whole years on {@code date}. */
    public int ageOn(LocalDate date) {
        return Period.between(birthDate, date).getYears();
    }

    /** First 6 and last 4 characters, the rest as {@code *}: {@code 330302********123X}. */
    public String masked() {
        return value.substring(0, 6) + "********" + value.substring(14);
    }

    @Override
    public String toString() {
        return masked();
    }

    /**
     * {@code text} with every run shaped like a resident ID number masked as {@link #masked()} does:
     * 17 digits and a digit or X, with no digit before it and no digit or letter after it (the hub
     * contract's test for personal data). Whether the run is a real number or only looks like one (a
     * path, a serial number), it does not leave the terminal. Returns {@code text} itself when there
     * is nothing to mask.
     */
    public static String maskWithin(String text) {
        StringBuilder out = null;
        int n = text.length();
        int i = 0;
        while (i + 18 <= n) {
            if (!isDigit(text.charAt(i)) || (i > 0 && isDigit(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int run = i;
            while (run < n && isDigit(text.charAt(run))) {
                run++;
            }
            int digits = run - i;
            boolean idShaped = (digits == 18 && (run == n || !isAsciiLetterOrDigit(text.charAt(run))))
                    || (digits == 17 && run < n && (text.charAt(run) == 'X' || text.charAt(run) == 'x')
                            && (run + 1 == n || !isAsciiLetterOrDigit(text.charAt(run + 1))));
            if (idShaped) {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                for (int k = i + 6; k < i + 14; k++) {
                    out.setCharAt(k, '*');
                }
            }
            i = run;
        }
        return out == null ? text : out.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResidentId r && r.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }
}
