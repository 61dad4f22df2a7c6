package cardterm.terminal.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.check.Problems;
import cardterm.devices.citizen.Gender;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IssuanceJobParserTest {
    static final String VALID = """
            {"jobId":"J-20261126-0001","staffId":"S1024",
             "citizen":{"idNumber":"330302195201011231","name":"张三","gender":"1","ethnicity":1},
             "card":{"cardNumber":"A12345678","issueDate":"2026-11-26","expiryDate":"2036-11-26"},
             "transitConcession":true}
            """;

    @Test
    void readsAValidJob() {
        Problems p = new Problems();
        IssuanceJob job = IssuanceJobParser.parse(VALID, p).orElseThrow(() -> new AssertionError(p));
        assertThat(job.jobId()).isEqualTo("J-20261126-0001");
        assertThat(job.staffId()).isEqualTo("S1024");
        assertThat(job.citizen().idNumber().value()).isEqualTo("330302195201011231");
        assertThat(job.citizen().name().value()).isEqualTo("张三");
        assertThat(job.citizen().gender()).isEqualTo(Gender.MALE);
        assertThat(job.card().issueDate()).isEqualTo(LocalDate.of(2026, 11, 26));
        assertThat(job.transitConcession()).contains(true);
        assertThat(job.photo()).isEmpty();
        assertThat(job.toString()).doesNotContain("330302195201011231").doesNotContain("张三");
    }

    @Test
    void aJobWrittenAsTheContractsArgsReadsBackTheSame() {
        Problems p = new Problems();
        IssuanceJob job = IssuanceJobParser.parse(VALID, p).orElseThrow(() -> new AssertionError(p));
        IssuanceJob again = IssuanceJobParser.parse(job.toContractJson(), p).orElseThrow(() -> new AssertionError(p));
        assertThat(again).isEqualTo(job);
        String withPhoto = VALID.replace("\"transitConcession\":true",
                "\"transitConcession\":false,\"photo\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\"");
        IssuanceJob photo = IssuanceJobParser.parse(withPhoto, p).orElseThrow(() -> new AssertionError(p));
        assertThat(IssuanceJobParser.parse(photo.toContractJson(), p)).contains(photo);
    }

    @Test
    void reportsEveryProblemWithItsFieldPath() {
        String bad = """
                {"jobId":"","staffId":"S 1",
                 "citizen":{"idNumber":"330302195201011232","name":"张三","gender":"2","ethnicity":"1","nick":"x"},
                 "card":{"cardNumber":"a1234","issueDate":"2026-02-30","expiryDate":"2025-01-01"},
                 "photo":"bm90IGFuIGltYWdl","transitConcesion":false,"transitConcession":"no"}
                """;
        Problems p = new Problems();
        assertThat(IssuanceJobParser.parse(bad, p)).isEmpty();
        assertThat(p.list()).extracting(Problems.Problem::field).containsExactlyInAnyOrder(
                "transitConcesion", "jobId", "staffId", "citizen.nick", "citizen.ethnicity", "card.issueDate",
                "photo", "transitConcession", "citizen.idNumber", "card.cardNumber");
        assertThat(p.toString()).doesNotContain("330302195201011232").doesNotContain("张三");
    }

    @Test
    void genderAgainstTheIdNumberAndExpiryAgainstIssueAreCheckedToo() {
        String bad = VALID.replace("\"gender\":\"1\"", "\"gender\":\"2\"").replace("2036-11-26", "2026-11-25");
        Problems p = new Problems();
        assertThat(IssuanceJobParser.parse(bad, p)).isEmpty();
        assertThat(p.list()).extracting(Problems.Problem::field).containsExactlyInAnyOrder("citizen.gender", "card.expiryDate");
    }

    @Test
    void missingSectionsAreReportedOnceEach() {
        Problems p = new Problems();
        assertThat(IssuanceJobParser.parse("{}", p)).isEmpty();
        assertThat(p.lines()).containsExactlyInAnyOrder("jobId: missing", "staffId: missing", "citizen: missing", "card: missing");
    }

    @Test
    void aNameTooLongForTheChipAndNotJson() {
        Problems p = new Problems();
        IssuanceJobParser.parse(VALID.replace("张三", "张".repeat(16)), p);
        assertThat(p.lines()).containsExactly("citizen.name: is 32 GBK bytes, at most 30 fit on the chip");
        Problems q = new Problems();
        IssuanceJobParser.parse("{\"jobId\":", q);
        assertThat(q.lines()).hasSize(1).first().asString().startsWith("not valid JSON");
    }

    @Test
    void acceptsJpegAndPngPhotosOnly() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0};
        String withPng = VALID.replace("\"transitConcession\":true",
                "\"photo\":\"" + Base64.getEncoder().encodeToString(png) + "\"");
        IssuanceJob job = IssuanceJobParser.parseOrThrow(withPng);
        assertThat(job.photo()).map(IssuanceJob.Photo::format).contains(IssuanceJob.Photo.Format.PNG);
        assertThat(job.transitConcession()).isEqualTo(Optional.empty());

        Problems p = new Problems();
        IssuanceJobParser.parse(VALID.replace("\"transitConcession\":true", "\"photo\":\"***\""), p);
        assertThat(p.lines()).containsExactly("photo: is not valid base64");
    }
}
