package cardterm.terminal.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cardterm.devices.chip.ChipOutcome;
import cardterm.devices.printer.PrinterException;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.issuance.IssuanceJournal.Entry;
import cardterm.terminal.store.Database;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The words issuance speaks: its steps, in the journal and on the wire, and its failure codes, held
 * against the hub contract's schemas and against what databases written by earlier versions hold.
 */
class IssuanceVocabularyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode schema(String file) throws IOException {
        return JSON.readTree(ContractSchemas.schemasDir().resolve(file).toFile());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theStepsEventsNameAreTheContractsInTheContractsOrder() throws IOException {
        List<String> wire = IssuanceStep.milestones().stream().map(IssuanceStep::wireName).toList();
        assertThat(wire).isEqualTo(strings(schema("events/issuance.failed.json").at("/properties/step/enum")));
        assertThat(strings(schema("events/issuance.step.json").at("/properties/step/enum")))
                .isEqualTo(wire.subList(1, wire.size())).doesNotContain("queued");
        assertThat(IssuanceStep.QUEUED.wireName()).isEqualTo("queued");
    }

    @Test
    void theJournalKeepsTheSpellingsEarlierVersionsWrote() {
        List<String> written = List.of("job", "printer-check", "card-feed", "chip", "record", "print", "eject", "reject",
                "cancel");
        assertThat(Arrays.stream(IssuanceStep.values()).filter(IssuanceStep::journaled).map(IssuanceStep::journalName))
                .containsExactlyElementsOf(written);
        assertThat(IssuanceStep.ofJournal("card-feed")).isEqualTo(IssuanceStep.FEED);
        assertThat(IssuanceStep.FEED.wireName()).isEqualTo("card-fed");
        assertThatThrownBy(() -> IssuanceStep.ofJournal("card-fed")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(IssuanceStep.VERIFY::journalName).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(IssuanceStep.CHECK::wireName).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aJournalAnEarlierVersionWroteReadsBack() {
        Clock clock = Clock.systemUTC();
        try (Database db = Database.open(dir)) {
            IssuanceJournal journal = IssuanceJournal.open(db, clock);
            journal.accepted("J-OLD", "S1024", Instant.EPOCH, false, "none", "3303**********0016", 600_000);
            db.transaction(c -> { // rows as the first journal wrote them, by hand
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO issuance_journal(job_id, step, phase, at, detail) VALUES ('J-OLD',?,?,?,?)")) {
                    for (String[] row : new String[][] {{"job", "START", ""}, {"printer-check", "START", ""},
                        {"printer-check", "END", "ok"}, {"card-feed", "START", ""}, {"card-feed", "END", "ok"},
                        {"chip", "START", "none"}, {"record", "START", "EF05/5"}, {"record", "END", "EF05/5"}}) {
                        ps.setString(1, row[0]);
                        ps.setString(2, row[1]);
                        ps.setString(3, Instant.EPOCH.toString());
                        ps.setString(4, row[2]);
                        ps.executeUpdate();
                    }
                }
                return null;
            });
            List<Entry> entries = journal.entries("J-OLD");
            assertThat(entries).extracting(Entry::step).containsExactly(IssuanceStep.JOB, IssuanceStep.CHECK,
                    IssuanceStep.CHECK, IssuanceStep.FEED, IssuanceStep.FEED, IssuanceStep.CHIP, IssuanceStep.RECORD,
                    IssuanceStep.RECORD);
            JournalReplay replay = JournalReplay.of(entries);
            assertThat(replay.reached()).isEqualTo(IssuanceStep.VERIFY);
            assertThat(replay.recordsWritten()).containsExactly("EF05/5");

            journal.failed("J-OLD", Failure.of(FailureCode.INTERRUPTED, IssuanceStep.VERIFY).cardRejected(true)
                    .records(replay.recordsWritten()).message("interrupted"));
            assertThat(journal.job("J-OLD")).hasValueSatisfying(r -> {
                assertThat(r.code()).isEqualTo("INTERRUPTED");
                assertThat(r.step()).isEqualTo("chip-verified");
                assertThat(r.recordsWritten()).containsExactly("EF05/5");
            });
            assertThat(journal.entries("J-OLD").getLast().detail()).isEqualTo("FAILED INTERRUPTED");
        }
    }

    @Test
    void everyFailureCodeIsAContractErrorCodeAndEveryCodeTheSchemaNamesIsOne() throws IOException {
        Pattern code = Pattern.compile(schema("common.json").at("/definitions/errorCode/pattern").asText());
        assertThat(FailureCode.values()).allSatisfy(c -> assertThat(c.wireName()).matches(code));
        Matcher named = Pattern.compile("\\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\\b|\\b(JAM|CANCELLED|INTERRUPTED)\\b")
                .matcher(schema("events/issuance.failed.json").at("/description").asText());
        List<String> inSchema = new ArrayList<>();
        while (named.find()) {
            inSchema.add(named.group());
        }
        assertThat(inSchema).hasSizeGreaterThan(10)
                .allSatisfy(n -> assertThat(FailureCode.ofWire(n)).as(n).isPresent());
        assertThat(IssuanceService.INTERRUPTED).isEqualTo("INTERRUPTED");
        assertThat(IssuanceService.CARD_FACE_UNAVAILABLE).isEqualTo("CARD_FACE_UNAVAILABLE");
    }

    @Test
    void chipOutcomesAndPrinterCodesKeepTheirNamesOnTheWire() throws Exception {
        for (ChipOutcome o : ChipOutcome.values()) {
            if (o != ChipOutcome.OK) {
                assertThat(FailureCode.of(o).wireName()).isEqualTo(o.code());
            }
        }
        // the printer's code type, whatever module it comes from: PrinterException.code() is Optional<it>
        Class<?> printerCode = (Class<?>) ((ParameterizedType) PrinterException.class.getMethod("code")
                .getGenericReturnType()).getActualTypeArguments()[0];
        for (Object c : printerCode.getEnumConstants()) {
            PrinterException e = (PrinterException) PrinterException.class.getConstructors()[0].newInstance("feed",
                    PrinterException.Failure.REFUSED, c, null, "refused", null);
            assertThat(FailureCode.of(e).wireName()).isEqualTo(((Enum<?>) c).name());
        }
        assertThat(FailureCode.of(new PrinterException("feed", PrinterException.Failure.TIMEOUT, null, null, "t", null)))
                .isEqualTo(FailureCode.PRINTER_TIMEOUT);
        assertThat(FailureCode.of(new PrinterException("feed", PrinterException.Failure.LINK_DOWN, null, null, "l",
                null))).isEqualTo(FailureCode.PRINTER_UNAVAILABLE);
        assertThat(FailureCode.of(new PrinterException("feed", PrinterException.Failure.REFUSED, null, null, "r",
                null))).isEqualTo(FailureCode.PRINTER_ERROR);
    }

    @Test
    void aFailureNamesAStepTheEventsKnow() {
        Failure f = Failure.of(FailureCode.JAM, IssuanceStep.PRINT).cardRejected(true).records(List.of("EF05/5"))
                .message("jammed");
        assertThat(f).isEqualTo(new Failure(FailureCode.JAM, IssuanceStep.PRINT, true, List.of("EF05/5"), "jammed"));
        assertThatThrownBy(() -> Failure.of(FailureCode.JAM, IssuanceStep.REJECT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
