package cardterm.devices.printer.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.bridge.ecl.EclCommand;
import cardterm.devices.printer.RibbonType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the simulated printer keeps across a power cycle, and when it hands it to be saved. */
class EclPrinterModelStateTest {
    private final EclPrinterModel printer = new EclPrinterModel(EclPrinterModel.Settings.colour());
    private final List<EclPrinterModel.State> saved = new ArrayList<>();

    {
        printer.persistTo(saved::add);
    }

    private EclPrinterModel.Step start(EclCommand c) {
        return (EclPrinterModel.Step) printer.handle(c, null);
    }

    private EclPrinterModel.State last() {
        return saved.get(saved.size() - 1);
    }

    @Test
    void aFeedIsSavedWhenItStartsAndWhenItEndsBeforeItsAnswer() {
        assertThat(saved).hasSize(1); // persistTo saves the state it starts from
        EclPrinterModel.Step feed = start(EclCommand.SIC);
        assertThat(last().motion()).isEqualTo("Sic");
        assertThat(last().feeder()).isEqualTo(100);
        printer.complete(feed);
        assertThat(last().motion()).isEmpty();
        assertThat(last().feeder()).isEqualTo(99);
        assertThat(last().cardInside()).isTrue();
        assertThat(last().cardInStation()).isTrue();
        printer.complete(start(EclCommand.of("Er")));
        assertThat(last().rejectBox()).isEqualTo(1);
        assertThat(last().cardInside()).isFalse();
        assertThat(last().rejected()).isEqualTo(1);
    }

    @Test
    void aPersonsActionsAreSaved() {
        printer.openCover();
        assertThat(last().coverOpen()).isTrue();
        printer.setFeederCards(7);
        assertThat(last().feeder()).isEqualTo(7);
        printer.loadRibbon(RibbonType.K, 12);
        assertThat(last().ribbon()).isEqualTo(RibbonType.K);
        assertThat(last().ribbonLeft()).isEqualTo(12);
        printer.fillRejectBox();
        assertThat(last().rejectBox()).isEqualTo(50);
        printer.closeCover();
        assertThat(last().coverOpen()).isFalse();
    }

    @Test
    void aRestoredPrinterHoldsItsCardAndSuppliesAndRejectsTheCard() {
        printer.complete(start(EclCommand.SIC));
        printer.setRejectBoxCards(3);
        printer.jamOnNextPrint(false); // an injected fault to come is not kept
        EclPrinterModel.State before = printer.state();

        EclPrinterModel again = new EclPrinterModel(EclPrinterModel.Settings.colour());
        again.restore(before);
        assertThat(again.state()).isEqualTo(before);
        assertThat(again.cardInStation()).isTrue();
        assertThat(again.statusNow().flags()).contains(cardterm.devices.printer.PrinterFlag.CARD_IN_STATION);
        assertThat(again.hostHandlesErrors()).isFalse();
        again.complete((EclPrinterModel.Step) again.handle(EclCommand.of("Er"), null));
        assertThat(again.rejectBoxCards()).isEqualTo(4);
        assertThat(again.feederCards()).isEqualTo(99);
    }

    @Test
    void aFeedCutShortLeavesTheCardInTheStation() {
        start(EclCommand.SIC); // the power goes before it ends
        EclPrinterModel.State cut = last();
        EclPrinterModel again = new EclPrinterModel(EclPrinterModel.Settings.colour());
        again.restore(cut);
        assertThat(again.isBusy()).isFalse();
        assertThat(again.cardInStation()).isTrue();
        assertThat(again.feederCards()).isEqualTo(99);
        assertThat(again.state().motion()).isEmpty();
    }

    @Test
    void anEjectCutShortLeavesTheCardInsideAndAPrintCutShortUsedTheRibbon() {
        EclPrinterModel.State ejecting = new EclPrinterModel.State(90, RibbonType.YMCKO, true, 200, false, false,
                false, false, 2, 5, false, 10, 2, true, false, true, "Eo", 0);
        assertThat(ejecting.afterPowerCut().cardInside()).isTrue();
        assertThat(ejecting.afterPowerCut().hopper()).isEqualTo(5);

        EclPrinterModel.State printing = new EclPrinterModel.State(90, RibbonType.YMCKO, true, 200, false, false,
                false, false, 2, 5, false, 10, 2, true, false, false, "Se", 2);
        EclPrinterModel.State after = printing.afterPowerCut();
        assertThat(after.ribbonLeft()).isEqualTo(198);
        assertThat(after.cardPrinted()).isTrue();
        assertThat(after.printed()).isEqualTo(11);
        assertThat(after.motion()).isEmpty();
    }
}
