package cardterm.terminal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.chip.ChipProfile;
import cardterm.devices.chip.sim.CardFaults;
import cardterm.devices.chip.sim.SimulatedCard;
import cardterm.devices.chip.sim.SimulatedSam;
import cardterm.devices.testing.Pcscd;
import cardterm.devices.testing.VpcdSlot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cardterm card read|personalize} on the real pcscd with virtual cards on vpcd. */
class CardCommandTest {
    private static final AtomicLong SERIAL = new AtomicLong(5000);
    private static final VpcdSlot CARD = VpcdSlot.cardSlot();
    private static final VpcdSlot SAM = VpcdSlot.samSlot();
    static final String JOB = """
            {"jobId":"J-20261126-0001","staffId":"S1024",
             "citizen":{"idNumber":"330302195201011231","name":"张三","gender":"1","ethnicity":1},
             "card":{"cardNumber":"A12345678","issueDate":"2026-11-26","expiryDate":"2036-11-26"}}
            """;

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void rig() {
        Pcscd.ensureRunning();
        SAM.insertAndWait(SimulatedSam.withTestKey());
    }

    @AfterAll
    static void unrig() {
        SAM.removeAndWait();
    }

    @AfterEach
    void pull() {
        CARD.removeAndWait();
    }

    private int run(String... args) {
        CommandLine cl = new CommandLine(new CardCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static SimulatedCard blank(CardFaults faults) {
        byte[] id = ByteBuffer.allocate(16).put(ChipProfile.REGION_WENZHOU).put(new byte[5])
                .putLong(SERIAL.incrementAndGet()).array();
        SimulatedCard c = new SimulatedCard(id, faults);
        CARD.insertAndWait(c);
        return c;
    }

    private Path job(String json) throws IOException {
        Path f = dir.resolve("job.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void personalizesThenReadsTheCardWithPersonalDataMasked() throws IOException {
        SimulatedCard card = blank(CardFaults.none());
        int code = run("personalize", "--job", job(JOB).toString(), "--reader", VpcdSlot.CARD_READER,
                "--sam", "/PCD 00 01$/");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines()).containsExactly("OK");
        assertThat(err.toString()).contains("elderly=true").contains("concession=free");
        assertThat(card.isIssued()).isTrue();

        out.getBuffer().setLength(0);
        assertThat(run("read", "--reader", "/Virtual PCD 00 00/")).isZero();
        assertThat(out.toString())
                .contains("card number: A12345678")
                .contains("ID number:   330302********1231")
                .contains("name:        张*")
                .contains("expires:     2036-11-26")
                .contains("concession:  free until 2036-11-26")
                .doesNotContain("330302195201011231").doesNotContain("张三");
    }

    @Test
    void aBadJobFileGetsEveryProblemAndExit2() throws IOException {
        String bad = JOB.replace("\"gender\":\"1\"", "\"gender\":\"2\"").replace("A12345678", "a1").replace("2036-11-26", "2036-02-30");
        int code = run("personalize", "--job", job(bad).toString(), "--reader", "/[/", "--sam", VpcdSlot.SAM_READER);
        assertThat(code).isEqualTo(CardtermMain.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("4 problems")
                .contains("citizen.gender").contains("card.cardNumber").contains("card.expiryDate").contains("--reader");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMissingJobFileIsBadInput() {
        assertThat(run("personalize", "--job", dir.resolve("none.json").toString(), "--reader", "x", "--sam", "y"))
                .isEqualTo(CardtermMain.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--job: cannot read");
    }

    @Test
    void anIssuedCardIsRefusedWithItsOutcomeCode() throws IOException {
        blank(CardFaults.none().withAlreadyIssued());
        int code = run("personalize", "--job", job(JOB).toString(), "--reader", VpcdSlot.CARD_READER,
                "--sam", VpcdSlot.SAM_READER);
        assertThat(code).isEqualTo(CardtermMain.EXIT_FAILED);
        assertThat(out.toString().lines()).containsExactly("CARD_ALREADY_ISSUED");
    }

    @Test
    void aWriteFailureSaysTheCardMustBeRejected() throws IOException {
        blank(CardFaults.none().withFailedWrite(2));
        assertThat(run("personalize", "--job", job(JOB).toString(), "--reader", VpcdSlot.CARD_READER,
                "--sam", VpcdSlot.SAM_READER)).isEqualTo(CardtermMain.EXIT_FAILED);
        assertThat(out.toString().lines()).containsExactly("CARD_WRITE_FAILED");
        assertThat(err.toString()).contains("written=EF05/5").contains("failed at EF05/6").contains("reject it");
    }

    @Test
    void readingABlankCardNoCardOrNoReaderFailsClearly() {
        assertThat(run("read", "--reader", VpcdSlot.CARD_READER)).isEqualTo(CardtermMain.EXIT_FAILED);
        assertThat(err.toString()).contains("NO_CARD").contains("no card in Virtual PCD 00 00");

        err.getBuffer().setLength(0);
        assertThat(run("read", "--reader", "ACME 42")).isEqualTo(CardtermMain.EXIT_FAILED);
        assertThat(err.toString()).contains("READER_UNAVAILABLE").contains("Virtual PCD 00 00");

        blank(CardFaults.none());
        err.getBuffer().setLength(0);
        assertThat(run("read", "--reader", VpcdSlot.CARD_READER)).isEqualTo(CardtermMain.EXIT_FAILED);
        assertThat(err.toString()).contains("blank card: not issued yet (region 330300)");
    }
}
