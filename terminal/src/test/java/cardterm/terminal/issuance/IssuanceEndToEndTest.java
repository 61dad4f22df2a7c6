package cardterm.terminal.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.chip.ChipProfile.ChipFile;
import cardterm.devices.chip.sim.CardFaults;
import cardterm.devices.chip.sim.SimulatedCard;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.FontCheck;
import cardterm.terminal.hardware.RealDevices;
import cardterm.terminal.app.TerminalService;
import cardterm.terminal.testing.CliCapture;
import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigResult;
import cardterm.terminal.config.TerminalConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issuance end to end on real parts: pcscd with the simulated card and SAM in vpcd, the ecl printer
 * simulator on a socat pty, a real mosquitto, the terminal as {@code cardterm run} assembles it
 * (RealDevices from a config file), jobs sent as signed {@code issue} commands. Every published
 * message is checked against the contract.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssuanceEndToEndTest {
    private Path dir;
    private IssuanceRig rig;
    private RealDevices devices;
    private TerminalService terminal;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("issuance-e2e-");
        rig = IssuanceRig.start(dir, true);
        TerminalConfig config = ((ConfigResult.Valid) ConfigLoader.load(rig.configFile, Map.of())).config();
        devices = new RealDevices(config, Clock.systemUTC());
        FontCheck.Found font = (FontCheck.Found) FontCheck.find(config.issuance().cardFont());
        terminal = TerminalService.start(config, devices.devices(), CardFaceRenderer.of(font,
                CardFaceRenderer.TITLE_WENZHOU), Clock.systemUTC(), "test");
        await("terminal online").atMost(Duration.ofSeconds(20)).until(() -> terminal.hub().status().connected());
    }

    @AfterAll
    void stop() {
        try {
            if (rig != null) {
                rig.assertEveryMessageKeepsTheContract();
            }
        } finally {
            if (terminal != null) {
                terminal.close();
            }
            if (devices != null) {
                devices.close();
            }
            if (rig != null) {
                rig.close();
            }
        }
    }

    private SimulatedCard cardNumbered(String cardNumber) {
        return rig.cards.stream().filter(c -> c.record(ChipFile.EF05, 7)
                .map(v -> new String(v, 2, v.length - 2, StandardCharsets.US_ASCII).equals(cardNumber)
                        || new String(v, StandardCharsets.US_ASCII).endsWith(cardNumber)).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no card holds " + cardNumber));
    }

    private static Optional<byte[]> concessionOf(SimulatedCard c) {
        return c.record(ChipFile.EF15, 1);
    }

    private JsonNode issue(ObjectNode job) {
        JsonNode reply = rig.reply(rig.send("issue", job));
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        return reply;
    }

    @Test
    void citizensAged54_65_75AndAnOptOutGetTheirCardsWithTheRightConcessionAndElderlyFlag() {
        ObjectNode j54 = IssuanceRig.job("J-E2E-54", 54, false);
        ObjectNode j65 = IssuanceRig.job("J-E2E-65", 65, false);
        ObjectNode j75 = IssuanceRig.job("J-E2E-75", 75, false);
        ObjectNode jOut = IssuanceRig.job("J-E2E-75-OPTOUT", 75, true);
        for (ObjectNode j : List.of(j54, j65, j75, jOut)) {
            issue(j);
        }
        record Want(ObjectNode job, boolean elderly, String concession, int chipType) {}
        for (Want w : List.of(new Want(j54, false, "none", -1), new Want(j65, true, "discount", 1),
                new Want(j75, true, "free", 2), new Want(jOut, true, "none", -1))) {
            String id = w.job().get("jobId").asText();
            JsonNode done = rig.awaitEnd(id, "issuance.completed");
            assertThat(done.path("elderly").asBoolean()).as(id).isEqualTo(w.elderly());
            assertThat(done.path("concession").asText()).as(id).isEqualTo(w.concession());
            assertThat(done.path("ms").path("total").asLong()).isPositive();
            assertThat(done.path("promisedMs").asLong()).isEqualTo(600_000);
            assertThat(rig.events("issuance.accepted", id)).singleElement()
                    .satisfies(a -> assertThat(a.path("elderly").asBoolean()).isEqualTo(w.elderly()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rig.events("issuance.step", id))
                    .extracting(s -> s.path("step").asText())
                    .containsExactly("card-fed", "chip-written", "chip-verified", "printed", "ejected"));
            SimulatedCard card = cardNumbered(w.job().path("card").path("cardNumber").asText());
            if (w.chipType() < 0) {
                assertThat(concessionOf(card)).as(id).isEmpty();
            } else {
                assertThat(concessionOf(card)).as(id).hasValueSatisfying(v -> assertThat(v[0]).isEqualTo((byte) w.chipType()));
            }
            assertThat(rig.events("issuance.failed", id)).isEmpty();
        }
    }

    @Test
    void elderlyJobsGoFirst() {
        List<String> ids = List.of("J-E2E-Q30", "J-E2E-Q40", "J-E2E-Q41", "J-E2E-Q80");
        issue(IssuanceRig.job(ids.get(0), 30, false));
        issue(IssuanceRig.job(ids.get(1), 40, false));
        issue(IssuanceRig.job(ids.get(2), 41, false));
        issue(IssuanceRig.job(ids.get(3), 80, false));
        ids.forEach(id -> rig.awaitEnd(id, "issuance.completed"));
        List<String> order = new ArrayList<>();
        rig.events("issuance.completed", null).forEach(e -> order.add(e.path("jobId").asText()));
        order.retainAll(ids);
        assertThat(order.indexOf("J-E2E-Q80")).isLessThan(order.indexOf("J-E2E-Q41"));
        assertThat(order.indexOf("J-E2E-Q40")).isLessThan(order.indexOf("J-E2E-Q41"));
    }

    @Test
    void anInvalidJobIsRefusedWithEveryProblemInOneReply() {
        ObjectNode bad = IssuanceRig.job("J-E2E-BAD", 40, false);
        String id = bad.path("citizen").path("idNumber").asText();
        ((ObjectNode) bad.get("citizen")).put("idNumber", id.substring(0, 17) + (id.charAt(17) == '1' ? "2" : "1"));
        ((ObjectNode) bad.get("citizen")).put("gender", "9");
        ((ObjectNode) bad.get("card")).remove("expiryDate");
        ((ObjectNode) bad.get("card")).put("cardNumber", "bad#");
        bad.put("transitConcesion", false);
        JsonNode reply = rig.reply(rig.send("issue", bad));
        assertThat(reply.path("ok").asBoolean()).isFalse();
        assertThat(reply.path("error").path("code").asText()).isEqualTo("INVALID");
        List<String> problems = new ArrayList<>();
        reply.path("error").path("problems").forEach(p -> problems.add(p.toString()));
        assertThat(String.join("\n", problems)).contains("citizen.idNumber").contains("citizen.gender")
                .contains("card.expiryDate").contains("card.cardNumber").contains("transitConcesion");
        assertThat(problems).hasSizeGreaterThanOrEqualTo(5);
        assertThat(rig.events("issuance.accepted", "J-E2E-BAD")).isEmpty();
    }

    @Test
    void aNameTheCardFontCannotDrawIsAJobProblemNamingEachCharacterNeverABoxOnACard() {
        ObjectNode job = IssuanceRig.job("J-E2E-GLYPH", 40, false);
        ((ObjectNode) job.get("citizen")).put("name", "张\uE000≒\uE000"); // GBK takes all three: the chip could hold it
        JsonNode reply = rig.reply(rig.send("issue", job));
        assertThat(reply.path("error").path("code").asText()).isEqualTo("INVALID");
        List<String> problems = new ArrayList<>();
        reply.path("error").path("problems").forEach(p -> problems.add(p.path("field").asText() + ": "
                + p.path("message").asText()));
        assertThat(problems).containsExactly(
                "citizen.name: U+E000 cannot be drawn by the card font (Cardterm Face Sans)",
                "citizen.name: '≒' (U+2252) cannot be drawn by the card font (Cardterm Face Sans)");
        assertThat(rig.events("issuance.accepted", "J-E2E-GLYPH")).isEmpty();
    }

    @Test
    void aNameNeitherTheChipNorTheFontTakesHasEveryProblemInOneReply() {
        ObjectNode job = IssuanceRig.job("J-E2E-GBK", 40, false);
        ((ObjectNode) job.get("citizen")).put("name", "张𠀀\uE000");
        ((ObjectNode) job.get("citizen")).put("gender", "9");
        JsonNode reply = rig.reply(rig.send("issue", job));
        assertThat(reply.path("error").path("code").asText()).isEqualTo("INVALID");
        List<String> problems = new ArrayList<>();
        reply.path("error").path("problems").forEach(p -> problems.add(p.path("field").asText() + ": "
                + p.path("message").asText()));
        assertThat(problems).contains(
                "citizen.name: '𠀀' (U+20000) cannot be encoded in GBK, as the chip's name field holds it",
                "citizen.name: '𠀀' (U+20000) cannot be drawn by the card font (Cardterm Face Sans)",
                "citizen.name: U+E000 cannot be drawn by the card font (Cardterm Face Sans)");
        assertThat(String.join("\n", problems)).contains("citizen.gender");
        assertThat(rig.events("issuance.accepted", "J-E2E-GBK")).isEmpty();
    }

    @Test
    void anAlreadyIssuedCardIsRejectedAndNotWritten() {
        int rejectedBefore = rig.printer.printer().rejectBoxCards();
        rig.nextCardFaults(CardFaults.none().withAlreadyIssued());
        issue(IssuanceRig.job("J-E2E-ISSUED", 40, false));
        JsonNode f = rig.awaitEnd("J-E2E-ISSUED", "issuance.failed");
        assertThat(f.path("code").asText()).isEqualTo("CARD_ALREADY_ISSUED");
        assertThat(f.path("cardRejected").asBoolean()).isTrue();
        assertThat(f.path("recordsWritten")).isEmpty();
        assertThat(rig.printer.printer().rejectBoxCards()).isEqualTo(rejectedBefore + 1);
        assertThat(cardNumbered(SimulatedCard.PREVIOUS_CARD_NUMBER).writeCount()).isZero();
        assertThat(rig.events("issuance.completed", "J-E2E-ISSUED")).isEmpty();
    }

    @Test
    void aWriteFailureRejectsTheCardAndSaysWhatWasWritten() {
        rig.nextCardFaults(CardFaults.none().withFailedWrite(3));
        issue(IssuanceRig.job("J-E2E-WRITE", 40, false));
        JsonNode f = rig.awaitEnd("J-E2E-WRITE", "issuance.failed");
        assertThat(f.path("code").asText()).isEqualTo("CARD_WRITE_FAILED");
        assertThat(f.path("cardRejected").asBoolean()).isTrue();
        assertThat(f.path("recordsWritten")).extracting(JsonNode::asText).containsExactly("EF05/5", "EF05/6");
        assertThat(rig.events("issuance.step", "J-E2E-WRITE")).extracting(s -> s.path("step").asText())
                .containsExactly("card-fed");
    }

    @Test
    void aJamDuringPrintingRejectsTheCard() {
        int rejectedBefore = rig.printer.printer().rejectBoxCards();
        int outBefore = rig.printer.printer().outputTrayCards();
        rig.printer.printer().jamOnNextPrint(false);
        issue(IssuanceRig.job("J-E2E-JAM", 40, false));
        JsonNode f = rig.awaitEnd("J-E2E-JAM", "issuance.failed");
        assertThat(f.path("code").asText()).isEqualTo("JAM");
        assertThat(f.path("step").asText()).isEqualTo("printed");
        assertThat(f.path("cardRejected").asBoolean()).isTrue();
        assertThat(f.path("recordsWritten")).hasSize(8);
        assertThat(rig.printer.printer().rejectBoxCards()).isEqualTo(rejectedBefore + 1);
        assertThat(rig.printer.printer().outputTrayCards()).isEqualTo(outBefore);
        assertThat(rig.events("issuance.completed", "J-E2E-JAM")).isEmpty();
    }

    @Test
    void aCardRemovedMidWriteFailsTheJob() {
        rig.nextCardFaults(CardFaults.none().withRemovalOnWrite(4));
        issue(IssuanceRig.job("J-E2E-PULLED", 40, false));
        JsonNode f = rig.awaitEnd("J-E2E-PULLED", "issuance.failed");
        assertThat(f.path("code").asText()).isEqualTo("CARD_REMOVED");
        assertThat(f.path("recordsWritten")).extracting(JsonNode::asText).containsExactly("EF05/5", "EF05/6", "EF05/7");
        assertThat(f.path("cardRejected").asBoolean()).isTrue();
    }

    @Test
    void aQueuedJobCanBeCancelledAndEveryCommandIsInTheAuditLogUnderItsStaffId() {
        issue(IssuanceRig.job("J-E2E-C1", 40, false));
        issue(IssuanceRig.job("J-E2E-C2", 40, false));
        ObjectNode cancel = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        cancel.put("jobId", "J-E2E-C2");
        cancel.put("staffId", "S2048");
        JsonNode reply = rig.reply(rig.send("cancel", cancel));
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        JsonNode f = rig.awaitEnd("J-E2E-C2", "issuance.failed");
        assertThat(f.path("code").asText()).isEqualTo("CANCELLED");
        rig.awaitEnd("J-E2E-C1", "issuance.completed");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<JsonNode> audit = rig.events("audit.entry", null);
            assertThat(audit).anySatisfy(a -> {
                assertThat(a.path("action").asText()).isEqualTo("command.cancel");
                assertThat(a.path("staffId").asText()).isEqualTo("S2048");
            });
            assertThat(audit).anySatisfy(a -> {
                assertThat(a.path("action").asText()).isEqualTo("issuance.job.cancelled");
                assertThat(a.path("subject").asText()).isEqualTo("J-E2E-C2");
                assertThat(a.path("staffId").asText()).isEqualTo("S2048");
            });
            assertThat(audit).anySatisfy(a -> {
                assertThat(a.path("action").asText()).isEqualTo("issuance.job.completed");
                assertThat(a.path("subject").asText()).isEqualTo("J-E2E-C1");
                assertThat(a.path("staffId").asText()).isEqualTo("S1024");
            });
        });
        CliCapture v = CliCapture.run("audit", "verify", "--config", rig.configFile.toString());
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out()).startsWith("audit log intact:");
    }
}
