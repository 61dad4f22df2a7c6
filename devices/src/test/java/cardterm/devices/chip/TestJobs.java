package cardterm.devices.chip;

import java.time.LocalDate;

/** Valid chip data for tests (made-up people with valid GB 11643 numbers). */
public final class TestJobs {
    /** Female, born 1990-06-15: no concession. */
    public static final String YOUNG_ID = "330302199006150023";
    /** Male, born 1952-01-01: 74 on the issue date, free ride. */
    public static final String SENIOR_ID = "330302195201011231";
    public static final LocalDate ISSUE = LocalDate.of(2026, 11, 26);
    public static final LocalDate EXPIRY = LocalDate.of(2036, 11, 26);

    private TestJobs() {
    }

    public static ChipData young() {
        return ChipData.builder().idNumber(YOUNG_ID).name("李小红").gender("2").ethnicity(1)
                .cardNumber("A12345678").issueDate(ISSUE).expiryDate(EXPIRY).build();
    }

    public static ChipData seniorWithFreeRide() {
        return ChipData.builder().idNumber(SENIOR_ID).name("张三").gender("1").ethnicity(1)
                .cardNumber("B00000042").issueDate(ISSUE).expiryDate(EXPIRY)
                .concession(new Concession(Concession.Type.FREE, EXPIRY)).build();
    }
}
