package cardterm.devices.chip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.chip.ChipOutcome;
import cardterm.devices.chip.ChipProfile.ChipFile;
import cardterm.devices.chip.TestJobs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder's card and the stock across a restart: saved at every change, put back whole. */
class SimulatedReaderPairStateTest {

    @Test
    void everyChipWriteIsSavedAndARestoredPairHoldsTheCardAsWritten() {
        SimulatedReaderPair sim = new SimulatedReaderPair(Clock.systemUTC(), 500);
        List<SimulatedReaderPair.State> saved = new ArrayList<>();
        sim.persistTo(saved::add);
        sim.setNextCardFaults(CardFaults.none().withFailedWrite(4));
        SimulatedCard card = sim.insertBlankCard();
        int afterInsert = saved.size();
        assertThat(saved.get(afterInsert - 1).cardInEncoder()).isNotNull();

        assertThat(sim.personalizer().personalize(TestJobs.seniorWithFreeRide()).outcome())
                .isEqualTo(ChipOutcome.CARD_WRITE_FAILED);
        SimulatedReaderPair.State last = saved.get(saved.size() - 1);
        assertThat(saved.size() - afterInsert).isGreaterThanOrEqualTo(4); // one save per UPDATE RECORD at least
        assertThat(last.cardInEncoder().writes()).isEqualTo(card.writeCount());
        assertThat(last.cardInEncoder().records().get(ChipFile.EF05)).containsKeys(1, 3, 5, 6, 7);
        assertThat(last.cardInEncoder().issued()).isTrue();

        SimulatedReaderPair again = new SimulatedReaderPair(Clock.systemUTC(), 1);
        again.restore(last);
        SimulatedCard back = again.cardInEncoder().map(SimulatedCard.class::cast).orElseThrow();
        assertThat(back.identificationCode()).isEqualTo(card.identificationCode());
        assertThat(back.isIssued()).isTrue();
        assertThat(back.record(ChipFile.EF05, 7)).hasValueSatisfying(v -> assertThat(v)
                .isEqualTo(card.record(ChipFile.EF05, 7).orElseThrow()));
        assertThat(back.writeCount()).isEqualTo(card.writeCount());
        assertThat(again.state().nextSerial()).isEqualTo(501);
        assertThat(again.blanksUsed()).isEqualTo(1);

        again.removeCard();
        assertThat(again.insertBlankCard().identificationCode()).isNotEqualTo(card.identificationCode());
    }
}
