package cardterm.terminal.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.chip.Concession;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuancePolicyTest {
    /** A job for a citizen born on {@code birth} (ID number made valid), issued 2026-11-26. */
    static IssuanceJob job(String birth, String concession) {
        String first17 = "330302" + birth.replace("-", "") + "123";
        String id = first17 + cardterm.devices.citizen.ResidentId.checkCharacter(first17);
        String json = """
                {"jobId":"J1","staffId":"S1",
                 "citizen":{"idNumber":"%s","name":"王五","gender":"1","ethnicity":1},
                 "card":{"cardNumber":"A12345678","issueDate":"2026-11-26","expiryDate":"2036-11-26"}%s}
                """.formatted(id, concession == null ? "" : ",\"transitConcession\":" + concession);
        return IssuanceJobParser.parseOrThrow(json);
    }

    private final IssuancePolicy policy = IssuancePolicy.DEFAULT;
    private static final LocalDate EXPIRY = LocalDate.of(2036, 11, 26);

    @Test
    void elderlyFrom55OnTheIssueDate() {
        assertThat(policy.decide(job("1971-11-27", null)).elderly()).isFalse(); // 54, 55 tomorrow
        assertThat(policy.decide(job("1971-11-26", null)).elderly()).isTrue();  // 55 today
        assertThat(policy.decide(job("1971-11-26", null)).age()).isEqualTo(55);
    }

    @Test
    void concessionBandsAreOnByDefaultValidToTheCardsExpiry() {
        assertThat(policy.decide(job("1966-11-27", null)).concession()).isEqualTo(Concession.NONE); // 59
        assertThat(policy.decide(job("1966-11-26", null)).concession())
                .isEqualTo(new Concession(Concession.Type.DISCOUNT, EXPIRY)); // 60
        assertThat(policy.decide(job("1956-11-27", null)).concession().type()).isEqualTo(Concession.Type.DISCOUNT); // 69
        assertThat(policy.decide(job("1956-11-26", null)).concession())
                .isEqualTo(new Concession(Concession.Type.FREE, EXPIRY)); // 70
        assertThat(policy.decide(job("1920-01-01", null)).concession().type()).isEqualTo(Concession.Type.FREE);
    }

    @Test
    void aJobCanOptOutAndAskingDoesNotMakeTheIneligibleEligible() {
        IssuancePolicy.Decision out = policy.decide(job("1950-01-01", "false"));
        assertThat(out.concession()).isEqualTo(Concession.NONE);
        assertThat(out.optedOut()).isTrue();
        assertThat(out.eligibleFor()).contains(Concession.Type.FREE);
        assertThat(policy.decide(job("1990-01-01", "true")).concession()).isEqualTo(Concession.NONE);
    }

    @Test
    void configurationSetsAgesBandsAndDefault() {
        IssuancePolicy local = new IssuancePolicy(60, List.of(IssuancePolicy.Band.from(65, Concession.Type.FREE)), false);
        assertThat(local.decide(job("1968-01-01", null)).elderly()).isFalse(); // 58
        assertThat(local.decide(job("1960-01-01", null)).concession()).isEqualTo(Concession.NONE); // off by default
        assertThat(local.decide(job("1960-01-01", "true")).concession().type()).isEqualTo(Concession.Type.FREE);
    }
}
