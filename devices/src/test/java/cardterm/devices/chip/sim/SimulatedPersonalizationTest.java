package cardterm.devices.chip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.chip.ChipOutcome;
import cardterm.devices.chip.ChipProfile.ChipFile;
import cardterm.devices.chip.ChipReading;
import cardterm.devices.chip.ChipResult;
import cardterm.devices.chip.Concession;
import cardterm.devices.chip.TestJobs;
import cardterm.devices.health.HealthReason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every outcome of the profile on the in-process simulator (the same code the PC/SC tests run). */
class SimulatedPersonalizationTest {
    private final SimulatedReaderPair sim = new SimulatedReaderPair(Clock.systemUTC());

    @Test
    void personalizesABlankCardAndReadsItBack() {
        SimulatedCard card = sim.insertBlankCard();
        ChipResult r = sim.personalizer().personalize(TestJobs.seniorWithFreeRide());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.OK);
        assertThat(r.recordsWritten()).containsExactly(
                "EF05/5", "EF05/6", "EF05/7", "EF06/1", "EF06/2", "EF06/3", "EF06/4", "EF06/6", "EF15/1");
        assertThat(card.isIssued()).isTrue();
        assertThat(card.record(ChipFile.EF15, 1)).hasValueSatisfying(v -> assertThat(v[0]).isEqualTo((byte) 2));

        ChipReading reading = sim.personalizer().read();
        assertThat(reading).isInstanceOfSatisfying(ChipReading.Issued.class, i -> {
            assertThat(i.data().maskedIdNumber()).isEqualTo("330302********1231");
            assertThat(i.data().maskedName()).isEqualTo("张*");
            assertThat(i.data().cardNumber()).isEqualTo("B00000042");
            assertThat(i.data().issueDate()).isEqualTo(TestJobs.ISSUE);
            assertThat(i.data().expiryDate()).isEqualTo(TestJobs.EXPIRY);
            assertThat(i.data().concession()).contains(new Concession(Concession.Type.FREE, TestJobs.EXPIRY));
            assertThat(i.data().region()).isEqualTo("330300");
        });
    }

    @Test
    void eachBlankCardHasItsOwnIdentificationCode() {
        byte[] a = sim.insertBlankCard().identificationCode();
        sim.removeCard();
        byte[] b = sim.insertBlankCard().identificationCode();
        assertThat(a).isNotEqualTo(b);
        assertThat(a).startsWith(0x33, 0x03, 0x00);
        assertThat(sim.blanksUsed()).isEqualTo(2);
    }

    @Test
    void aBlankCardReadsAsBlank() {
        sim.insertBlankCard();
        assertThat(sim.personalizer().read()).isEqualTo(new ChipReading.Blank("330300"));
    }

    @Test
    void refusesAnIssuedCard() {
        sim.setNextCardFaults(CardFaults.none().withAlreadyIssued());
        SimulatedCard card = sim.insertBlankCard();
        ChipResult r = sim.personalizer().personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_ALREADY_ISSUED);
        assertThat(r.recordsWritten()).isEmpty();
        assertThat(r.partlyWritten()).isFalse();
        assertThat(card.writeCount()).isZero();
    }

    @Test
    void aConcessionOnACardWithoutTransitApplicationFailsBeforeAnyWrite() {
        sim.setNextCardFaults(CardFaults.none().withoutTransitApp());
        SimulatedCard card = sim.insertBlankCard();
        ChipResult r = sim.personalizer().personalize(TestJobs.seniorWithFreeRide());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CONCESSION_UNSUPPORTED);
        assertThat(card.writeCount()).isZero();
    }

    @Test
    void withoutConcessionACardWithoutTransitApplicationIsFine() {
        sim.setNextCardFaults(CardFaults.none().withoutTransitApp());
        sim.insertBlankCard();
        assertThat(sim.personalizer().personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.OK);
        assertThat(sim.personalizer().read()).isInstanceOfSatisfying(ChipReading.Issued.class,
                i -> assertThat(i.data().concession()).isEmpty());
    }

    @Test
    void aMemoryFailureOnTheThirdWriteSaysWhatWasWritten() {
        sim.setNextCardFaults(CardFaults.none().withFailedWrite(3));
        sim.insertBlankCard();
        ChipResult r = sim.personalizer().personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_WRITE_FAILED);
        assertThat(r.statusWord()).hasValue(0x6581);
        assertThat(r.recordsWritten()).containsExactly("EF05/5", "EF05/6");
        assertThat(r.failedRecord()).isEqualTo("EF05/7");
        assertThat(r.partlyWritten()).isTrue();
    }

    @Test
    void aWrongSamKeyFailsAuthenticationOnceAndBurnsOneTry() {
        sim.setSamKeyWrong(true);
        SimulatedCard card = sim.insertBlankCard();
        ChipResult r = sim.personalizer().personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_AUTH_FAILED);
        assertThat(r.statusWord()).hasValue(0x63C2);
        assertThat(card.triesLeft()).isEqualTo(SimulatedCard.MAX_TRIES - 1);
        assertThat(card.writeCount()).isZero();
    }

    @Test
    void aBlockedKeyIsAuthBlocked() {
        sim.setSamKeyWrong(true);
        SimulatedCard card = sim.insertBlankCard();
        List<ChipOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < SimulatedCard.MAX_TRIES + 1; i++) {
            outcomes.add(sim.personalizer().personalize(TestJobs.young()).outcome());
        }
        assertThat(outcomes).containsExactly(ChipOutcome.CARD_AUTH_FAILED, ChipOutcome.CARD_AUTH_FAILED,
                ChipOutcome.CARD_AUTH_FAILED, ChipOutcome.CARD_AUTH_BLOCKED);
        assertThat(card.triesLeft()).isZero();
    }

    @Test
    void aCardPulledMidWriteIsCardRemovedWithTheRecordsWrittenBefore() {
        sim.setNextCardFaults(CardFaults.none().withRemovalOnWrite(5));
        sim.insertBlankCard();
        ChipResult r = sim.personalizer().personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_REMOVED);
        assertThat(r.recordsWritten()).containsExactly("EF05/5", "EF05/6", "EF05/7", "EF06/1");
        assertThat(r.failedRecord()).isEqualTo("EF06/2");
        assertThat(sim.cardInEncoder()).isEmpty();
    }

    @Test
    void aCardOfAnotherKindIsUnsupported() {
        sim.setNextCardFaults(CardFaults.none().withoutSsseApp());
        sim.insertBlankCard();
        ChipResult r = sim.personalizer().personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_UNSUPPORTED);
        assertThat(r.statusWord()).hasValue(0x6A82);
        assertThat(sim.personalizer().read()).isInstanceOfSatisfying(ChipReading.Failed.class,
                f -> assertThat(f.outcome()).isEqualTo(ChipOutcome.CARD_UNSUPPORTED));
    }

    @Test
    void aRecordThatReadsBackDifferentlyFailsVerification() {
        sim.setNextCardFaults(CardFaults.none().withCorruptedWrite(5));
        sim.insertBlankCard();
        ChipResult r = sim.personalizer().personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_VERIFY_FAILED);
        assertThat(r.detail()).isEqualTo("EF06/2 reads back different bytes");
        assertThat(r.recordsWritten()).hasSize(8);
        assertThat(r.partlyWritten()).isTrue();
    }

    @Test
    void aShortChallengeIsAProtocolError() {
        sim.setNextCardFaults(CardFaults.none().withShortChallenge());
        sim.insertBlankCard();
        ChipResult r = sim.personalizer().personalize(TestJobs.young());
        assertThat(r.outcome()).isEqualTo(ChipOutcome.CARD_PROTOCOL_ERROR);
        assertThat(r.detail()).contains("GET CHALLENGE");
    }

    @Test
    void t0CardsWorkThrough61xxAnd6Cxx() {
        sim.setNextCardFaults(CardFaults.none().withT0());
        sim.insertBlankCard();
        assertThat(sim.personalizer().personalize(TestJobs.seniorWithFreeRide()).outcome()).isEqualTo(ChipOutcome.OK);
    }

    @Test
    void noCardNoReaderNoSam() {
        assertThat(sim.personalizer().personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.NO_CARD);
        sim.insertBlankCard();
        sim.samReader().remove();
        assertThat(sim.personalizer().personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.SAM_FAILED);
        sim.cardReader().setUnplugged(true);
        assertThat(sim.cardReader().health().reason()).isEqualTo(HealthReason.GONE);
        assertThat(sim.personalizer().personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.READER_UNAVAILABLE);
        sim.cardReader().setUnplugged(false);
        sim.cardReader().setServiceDown(true);
        assertThat(sim.cardReader().health().reason()).isEqualTo(HealthReason.SERVICE_DOWN);
        assertThat(sim.personalizer().personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.READER_UNAVAILABLE);
    }

    @Test
    void aSecondJobOnTheSameCardIsRefused() {
        sim.insertBlankCard();
        assertThat(sim.personalizer().personalize(TestJobs.young()).ok()).isTrue();
        assertThat(sim.personalizer().personalize(TestJobs.young()).outcome()).isEqualTo(ChipOutcome.CARD_ALREADY_ISSUED);
    }
}
