package cardterm.devices.chip;

import cardterm.devices.check.Problems;
import cardterm.devices.citizen.CitizenName;
import cardterm.devices.citizen.Gender;
import cardterm.devices.citizen.ResidentId;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything written into a citizen card's chip (chip-profile.md, EF05 records 5-7, EF06 records
 * 1-4 and 6, EF15 record 1). Personal data: {@link #toString()} masks the ID number and name.
 *
 * <p>Made only valid: through {@link #builder()}, whose {@link Builder#build(Problems)} reports
 * every problem at once under the issuance job's field paths ({@code citizen.idNumber},
 * {@code card.expiryDate}, ...), or through the constructor, which throws
 * {@link IllegalArgumentException} listing them all.
 */
public record ChipData(
        ResidentId residentId,
        CitizenName name,
        Gender gender,
        int ethnicity,
        LocalDate birthDate,
        String cardNumber,
        LocalDate issueDate,
        LocalDate expiryDate,
        Concession concession) {

    public static final String F_ID = "citizen.idNumber";
    public static final String F_NAME = "citizen.name";
    public static final String F_GENDER = "citizen.gender";
    public static final String F_ETHNICITY = "citizen.ethnicity";
    public static final String F_BIRTH_DATE = "citizen.birthDate";
    public static final String F_CARD_NUMBER = "card.cardNumber";
    public static final String F_ISSUE_DATE = "card.issueDate";
    public static final String F_EXPIRY_DATE = "card.expiryDate";
    public static final String F_CONCESSION = "transitConcession";

    /** Card numbers: 9 upper-case letters and digits (EF05 record 7). */
    public static final Pattern CARD_NUMBER = Pattern.compile("[A-Z0-9]{9}");
    /** Ethnicity codes of GB 3304. */
    public static final int ETHNICITY_MIN = 1;
    public static final int ETHNICITY_MAX = 56;

    public ChipData {
        Objects.requireNonNull(residentId, "residentId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(gender, "gender");
        Objects.requireNonNull(birthDate, "birthDate");
        Objects.requireNonNull(cardNumber, "cardNumber");
        Objects.requireNonNull(issueDate, "issueDate");
        Objects.requireNonNull(expiryDate, "expiryDate");
        concession = concession == null ? Concession.NONE : concession;
        Problems p = new Problems();
        checkRelations(residentId, gender, ethnicity, birthDate, cardNumber, issueDate, expiryDate, concession, p);
        if (!p.isEmpty()) {
            throw new IllegalArgumentException(p.toString());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy with another concession. */
    public ChipData withConcession(Concession c) {
        return new ChipData(residentId, name, gender, ethnicity, birthDate, cardNumber, issueDate, expiryDate, c);
    }

    private static void checkRelations(ResidentId id, Gender gender, int ethnicity, LocalDate birthDate,
            String cardNumber, LocalDate issueDate, LocalDate expiryDate, Concession concession, Problems p) {
        if (id != null && gender != null && id.gender() != gender) {
            p.add(F_GENDER, "is " + gender.code() + " but the ID number says " + id.gender().code()
                    + " (odd sequence number = male)");
        }
        if (id != null && birthDate != null && !id.birthDate().equals(birthDate)) {
            p.add(F_BIRTH_DATE, "differs from the birth date inside the ID number");
        }
        if (ethnicity < ETHNICITY_MIN || ethnicity > ETHNICITY_MAX) {
            p.add(F_ETHNICITY, "must be a GB 3304 code " + ETHNICITY_MIN + ".." + ETHNICITY_MAX + " (got " + ethnicity + ")");
        }
        if (cardNumber != null && !CARD_NUMBER.matcher(cardNumber).matches()) {
            p.add(F_CARD_NUMBER, "must be 9 upper-case letters or digits (got " + cardNumber.length() + " characters)");
        }
        checkBcdYear(issueDate, F_ISSUE_DATE, p);
        checkBcdYear(expiryDate, F_EXPIRY_DATE, p);
        if (issueDate != null && expiryDate != null && !expiryDate.isAfter(issueDate)) {
            p.add(F_EXPIRY_DATE, "must be after the issue date " + issueDate);
        }
        LocalDate born = birthDate != null ? birthDate : id != null ? id.birthDate() : null;
        if (born != null && issueDate != null && issueDate.isBefore(born)) {
            p.add(F_ISSUE_DATE, "is before the citizen's birth date");
        }
        if (concession != null && concession.granted()) {
            checkBcdYear(concession.validUntil(), F_CONCESSION, p);
            if (issueDate != null && concession.validUntil().isBefore(issueDate)) {
                p.add(F_CONCESSION, "would end (" + concession.validUntil() + ") before the issue date");
            }
        }
    }

    private static void checkBcdYear(LocalDate d, String field, Problems p) {
        if (d != null && (d.getYear() < 1900 || d.getYear() > 2099)) {
            p.add(field, "year " + d.getYear() + " is not plausible");
        }
    }

    /**
     * Collects the raw values of a job and checks them all at once. Missing values are problems
     * too, except the birth date (taken from the ID number) and the concession (none).
     */
    public static final class Builder {
        private String idNumber;
        private String name;
        private String genderCode;
        private Integer ethnicity;
        private LocalDate birthDate;
        private String cardNumber;
        private LocalDate issueDate;
        private LocalDate expiryDate;
        private Concession concession = Concession.NONE;

        private Builder() {
        }

        public Builder idNumber(String v) {
            idNumber = v;
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        /** {@code "1"} male or {@code "2"} female. */
        public Builder gender(String code) {
            genderCode = code;
            return this;
        }

        public Builder gender(Gender g) {
            genderCode = g == null ? null : g.code();
            return this;
        }

        public Builder ethnicity(Integer v) {
            ethnicity = v;
            return this;
        }

        /** Optional: must equal the birth date inside the ID number. */
        public Builder birthDate(LocalDate v) {
            birthDate = v;
            return this;
        }

        public Builder cardNumber(String v) {
            cardNumber = v;
            return this;
        }

        public Builder issueDate(LocalDate v) {
            issueDate = v;
            return this;
        }

        public Builder expiryDate(LocalDate v) {
            expiryDate = v;
            return this;
        }

        public Builder concession(Concession v) {
            concession = v == null ? Concession.NONE : v;
            return this;
        }

        /** Checks everything; adds every problem found to {@code problems}; the data only if there was none. */
        public Optional<ChipData> build(Problems problems) {
            Problems p = new Problems();
            Optional<ResidentId> id = ResidentId.parse(idNumber, F_ID, p);
            Optional<CitizenName> n = CitizenName.parse(name, F_NAME, p);
            Gender g = null;
            if (genderCode == null || genderCode.isBlank()) {
                p.add(F_GENDER, "missing");
            } else {
                g = Gender.ofCode(genderCode.strip());
                if (g == null) {
                    p.add(F_GENDER, "must be \"1\" (male) or \"2\" (female)");
                }
            }
            if (ethnicity == null) {
                p.add(F_ETHNICITY, "missing");
            }
            if (cardNumber == null || cardNumber.isBlank()) {
                p.add(F_CARD_NUMBER, "missing");
            }
            if (issueDate == null) {
                p.add(F_ISSUE_DATE, "missing");
            }
            if (expiryDate == null) {
                p.add(F_EXPIRY_DATE, "missing");
            }
            String number = cardNumber == null || cardNumber.isBlank() ? null : cardNumber.strip();
            checkRelations(id.orElse(null), g, ethnicity == null ? ETHNICITY_MIN : ethnicity, birthDate, number,
                    issueDate, expiryDate, concession, p);
            problems.addAll(p);
            if (!p.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ChipData(id.get(), n.get(), g, ethnicity, id.get().birthDate(), number,
                    issueDate, expiryDate, concession));
        }

        /** {@link #build(Problems)}, throwing {@link IllegalArgumentException} with every problem. */
        public ChipData build() {
            Problems p = new Problems();
            return build(p).orElseThrow(() -> new IllegalArgumentException(p.toString()));
        }
    }
}
