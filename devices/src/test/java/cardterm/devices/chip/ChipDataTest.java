package cardterm.devices.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cardterm.devices.check.Problems;
import cardterm.devices.citizen.Gender;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ChipDataTest {

    @Test
    void buildsValidDataWithTheBirthDateFromTheIdNumber() {
        ChipData d = TestJobs.young();
        assertThat(d.birthDate()).isEqualTo(LocalDate.of(1990, 6, 15));
        assertThat(d.gender()).isEqualTo(Gender.FEMALE);
        assertThat(d.concession()).isEqualTo(Concession.NONE);
        assertThat(d.toString()).doesNotContain(TestJobs.YOUNG_ID).doesNotContain("李小红");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Problems p = new Problems();
        var built = ChipData.builder()
                .idNumber("330302199006150024")      // wrong check character
                .name("欧阳".repeat(8))                 // 32 GBK bytes
                .gender("3")
                .ethnicity(57)
                .cardNumber("a1234567")
                .issueDate(LocalDate.of(2026, 11, 26))
                .expiryDate(LocalDate.of(2026, 11, 26))
                .build(p);
        assertThat(built).isEmpty();
        assertThat(p.list()).extracting(Problems.Problem::field).containsExactlyInAnyOrder(
                ChipData.F_ID, ChipData.F_NAME, ChipData.F_GENDER, ChipData.F_ETHNICITY, ChipData.F_CARD_NUMBER,
                ChipData.F_EXPIRY_DATE);
    }

    @Test
    void genderAndBirthDateMustAgreeWithTheIdNumber() {
        Problems p = new Problems();
        ChipData.builder().idNumber(TestJobs.YOUNG_ID).name("李小红").gender("1").ethnicity(1)
                .birthDate(LocalDate.of(1990, 6, 16)).cardNumber("A12345678")
                .issueDate(TestJobs.ISSUE).expiryDate(TestJobs.EXPIRY).build(p);
        assertThat(p.lines()).containsExactlyInAnyOrder(
                "citizen.gender: is 1 but the ID number says 2 (odd sequence number = male)",
                "citizen.birthDate: differs from the birth date inside the ID number");
        assertThat(p.toString()).doesNotContain(TestJobs.YOUNG_ID);
    }

    @Test
    void missingValuesAreProblemsToo() {
        Problems p = new Problems();
        ChipData.builder().build(p);
        assertThat(p.list()).extracting(Problems.Problem::field).contains(
                ChipData.F_ID, ChipData.F_NAME, ChipData.F_GENDER, ChipData.F_ETHNICITY, ChipData.F_CARD_NUMBER,
                ChipData.F_ISSUE_DATE, ChipData.F_EXPIRY_DATE);
    }

    @Test
    void namesGbkCannotEncodeAreRefusedNamingEachCharacterOnce() {
        Problems p = new Problems();
        ChipData.builder().idNumber(TestJobs.YOUNG_ID).name("李😀\u2028𠀀😀").gender("2").ethnicity(1).cardNumber("A12345678")
                .issueDate(TestJobs.ISSUE).expiryDate(TestJobs.EXPIRY).build(p);
        assertThat(p.lines()).containsExactly(
                "citizen.name: '😀' (U+1F600) cannot be encoded in GBK, as the chip's name field holds it",
                "citizen.name: U+2028 cannot be encoded in GBK, as the chip's name field holds it",
                "citizen.name: '𠀀' (U+20000) cannot be encoded in GBK, as the chip's name field holds it");
    }

    @Test
    void theConstructorRefusesInconsistentDataToo() {
        ChipData d = TestJobs.young();
        assertThatThrownBy(() -> new ChipData(d.residentId(), d.name(), Gender.MALE, 0, d.birthDate(), "A12345678",
                d.issueDate(), d.issueDate().minusDays(1), Concession.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("citizen.gender").hasMessageContaining("citizen.ethnicity")
                .hasMessageContaining("card.expiryDate");
    }

    @Test
    void encodesRecordsAsTheProfileSays() {
        ChipData d = TestJobs.seniorWithFreeRide();
        assertThat(ChipProfile.allRecords(d)).extracting(ChipProfile.ChipRecord::label).containsExactly(
                "EF05/5", "EF05/6", "EF05/7", "EF06/1", "EF06/2", "EF06/3", "EF06/4", "EF06/6", "EF15/1");
        assertThat(cardterm.devices.pcsc.Apdu.hex(ChipProfile.ef05Records(d).get(0).tlv())).isEqualTo("050420261126");
        assertThat(cardterm.devices.pcsc.Apdu.hex(ChipProfile.ef15Records(d).get(0).tlv())).isEqualTo("01050220361126");
        assertThat(ChipProfile.ef06Records(d).get(1).value()).hasSize(30);
        assertThat(cardterm.devices.pcsc.Apdu.hex(ChipProfile.updateRecord(ChipProfile.ef06Records(d).get(3))))
                .isEqualTo("00DC040403040101");
    }
}
