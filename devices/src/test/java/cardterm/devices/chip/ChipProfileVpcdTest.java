package cardterm.devices.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.chip.sim.CardFaults;
import cardterm.devices.chip.sim.SimulatedCard;
import cardterm.devices.chip.sim.SimulatedSam;
import cardterm.devices.health.HealthReason;
import cardterm.devices.pcsc.LogCapture;
import cardterm.devices.pcsc.PcscReader;
import cardterm.devices.testing.Pcscd;
import cardterm.devices.testing.VpcdSlot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every outcome of chip-profile.md's table on the real pcscd: the simulated card in vpcd reader
 * 0 (the encoder), the simulated SAM in reader 1, the personalizer on two PC/SC readers.
 */
class ChipProfileVpcdTest {
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static final VpcdSlot CARD = VpcdSlot.cardSlot();
    private static final VpcdSlot SAM = VpcdSlot.samSlot();
    private PcscReader cardReader;
    private PcscReader samReader;
    private ChipPersonalizer personalizer;

    @BeforeAll
    static void rig() {
        Pcscd.ensureRunning();
        SAM.insertAndWait(SimulatedSam.withTestKey());
    }

    @AfterAll
    static void unrig() {
        SAM.removeAndWait();
        CARD.removeAndWait();
    }

    @BeforeEach
    void readers() {
        cardReader = PcscReader.of("reader.card", "/Virtual PCD 00 00/");
        samReader = PcscReader.of("reader.sam", VpcdSlot.SAM_READER);
        personalizer = new ChipPersonalizer(cardReader, samReader);
    }

    @AfterEach
    void pull() {
        cardReader.close();
        samReader.close();
        CARD.removeAndWait();
    }

    private static SimulatedCard insert(CardFaults faults) {
        byte[] id = ByteBuffer.allocate(16).put(ChipProfile.REGION_WENZHOU).put(new byte[5])
                .putLong(SERIAL.incrementAndGet()).array();
        SimulatedCard card = new SimulatedCard(id, faults);
        CARD.insertAndWait(card);
        return card;
    }

    @Test
    void personalizesABlankCardWithConcessionAndReadsItBackWithoutPersonalDataInTheTrace() {
        SimulatedCard card = insert(CardFaults.none());
        ChipResult r;
        try (LogCapture trace = new LogCapture("cardterm.devices.pcsc.apdu")) {
            r = personalizer.personalize(TestJobs.seniorWithFreeRide());
            assertThat(trace.lines()).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .doesNotContain("3330333032").doesNotContain("D5C5") // ID number in ASCII hex, 张 in GBK
                    .matches("reader\\.(card|sam) (>> [0-9A-F]{2} [0-9A-F]{2} [0-9A-F]{2} [0-9A-F]{2}( Lc=\\d+)?( Le=[0-9A-F]{2})?"
                            + "|<< SW=[0-9A-F]{4} len=\\d+)"));
        }
        assertThat(r.outcome()).isEqualTo(ChipOutcome.OK);
        assertThat(r.recordsWritten()).hasSize(9).endsWith("EF15/1");
        assertThat(card.isIssued()).isTrue();

        assertThat(personalizer.read()).isInstanceOfSatisfying(ChipReading.Issued.class, i -> {
            assertThat(i.data().maskedIdNumber()).isEqualTo("330302********1231");
            assertThat(i.data().cardNumber()).isEqualTo("B00000042");
            assertThat(i.data().concession()).contains(new Concession(Concession.Type.FREE, TestJobs.EXPIRY));
        });
    }

    @Test
    void alreadyIssued() {
        SimulatedCard card = insert(CardFaults.none().withAlreadyIssued());
        ChipResult r = personalizer.personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_ALREADY_ISSUED);
        assertThat(card.writeCount()).isZero();
    }

    @Test
    void noTransitApplicationForAConcession() {
        SimulatedCard card = insert(CardFaults.none().withoutTransitApp());
        assertThat(personalizer.personalize(TestJobs.seniorWithFreeRide()).outcome())
                .isEqualTo(ChipOutcome.CONCESSION_UNSUPPORTED);
        assertThat(card.writeCount()).isZero();
    }

    @Test
    void notASocialSecurityCard() {
        insert(CardFaults.none().withoutSsseApp());
        assertThat(personalizer.personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.CARD_UNSUPPORTED);
    }

    @Test
    void memoryFailureOnTheThirdWrite() {
        insert(CardFaults.none().withFailedWrite(3));
        ChipResult r = personalizer.personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_WRITE_FAILED);
        assertThat(r.statusWord()).hasValue(0x6581);
        assertThat(r.recordsWritten()).containsExactly("EF05/5", "EF05/6");
        assertThat(r.failedRecord()).isEqualTo("EF05/7");
    }

    @Test
    void wrongSamKeyFailsOnceAndTheTryCounterIsNotBurntFurther() {
        SAM.removeAndWait();
        SAM.insertAndWait(SimulatedSam.withWrongKey());
        try {
            SimulatedCard card = insert(CardFaults.none());
            ChipResult r = personalizer.personalize(TestJobs.young());
            assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_AUTH_FAILED);
            assertThat(r.statusWord()).hasValue(0x63C2);
            assertThat(card.triesLeft()).isEqualTo(SimulatedCard.MAX_TRIES - 1);
            assertThat(card.writeCount()).isZero();

            for (int i = 0; i < 2; i++) {
                assertThat(personalizer.personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.CARD_AUTH_FAILED);
            }
            assertThat(personalizer.personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.CARD_AUTH_BLOCKED);
            assertThat(card.triesLeft()).isZero();
        } finally {
            SAM.removeAndWait();
            SAM.insertAndWait(SimulatedSam.withTestKey());
        }
    }

    @Test
    void shortChallengeIsAProtocolError() {
        insert(CardFaults.none().withShortChallenge());
        assertThat(personalizer.personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.CARD_PROTOCOL_ERROR);
    }

    @Test
    void readBackDiffers() {
        insert(CardFaults.none().withCorruptedWrite(4));
        ChipResult r = personalizer.personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_VERIFY_FAILED);
        assertThat(r.detail()).startsWith("EF06/1");
    }

    @Test
    void cardPulledMidWrite() {
        insert(CardFaults.none().withRemovalOnWrite(2));
        ChipResult r = personalizer.personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_REMOVED);
        assertThat(r.recordsWritten()).containsExactly("EF05/5");
        assertThat(r.failedRecord()).isEqualTo("EF05/6");
        CARD.awaitPresence(false);
        assertThat(personalizer.personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.NO_CARD);
    }

    @Test
    void t0CardThrough61xxAnd6Cxx() {
        SimulatedCard card = insert(CardFaults.none().withT0());
        try (cardterm.devices.pcsc.CardConnection c = cardReader.connect()) {
            assertThat(c.protocol()).isEqualTo("T=0"); // pcscd and vpcd negotiate T=0 from the ATR 3B 02 14 50
        }
        ChipResult r = personalizer.personalize(TestJobs.seniorWithFreeRide());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.OK);
        assertThat(card.isIssued()).isTrue();
        assertThat(personalizer.read()).isInstanceOf(ChipReading.Issued.class);
    }

    @Test
    void noCardInTheEncoder() {
        assertThat(personalizer.personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.NO_CARD);
        assertThat(personalizer.read()).isEqualTo(new ChipReading.Failed(ChipOutcome.NO_CARD, "no card in " + VpcdSlot.CARD_READER));
    }

    @Test
    void encoderReaderMissing() {
        insert(CardFaults.none());
        try (PcscReader missing = PcscReader.of("reader.card", "/ACME/")) {
            ChipResult r = new ChipPersonalizer(missing, samReader).personalize(TestJobs.young());
            assertThat(r.outcome()).isEqualTo(ChipOutcome.READER_UNAVAILABLE);
            assertThat(r.detail()).contains(VpcdSlot.CARD_READER); // names the readers that exist
            assertThat(missing.health().reason()).isEqualTo(HealthReason.GONE);
        }
    }

    @Test
    void samMissing() {
        SAM.removeAndWait();
        try {
            SimulatedCard card = insert(CardFaults.none());
            assertThat(personalizer.personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.SAM_FAILED);
            assertThat(card.writeCount()).isZero();
        } finally {
            SAM.insertAndWait(SimulatedSam.withTestKey());
        }
    }

    @Test
    void pcscdStoppedThenBack() {
        insert(CardFaults.none());
        cardReader.start();
        samReader.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> cardReader.health().reason() == HealthReason.OK);
        Pcscd.stop();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> cardReader.health().reason() == HealthReason.SERVICE_DOWN
                    && samReader.health().reason() == HealthReason.SERVICE_DOWN);
            assertThat(personalizer.personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.READER_UNAVAILABLE);
        } finally {
            Pcscd.start();
        }
        CARD.awaitPresence(true);
        SAM.awaitPresence(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> cardReader.health().reason() == HealthReason.OK
                && samReader.health().reason() == HealthReason.OK);
        assertThat(personalizer.personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.OK);
    }
}
