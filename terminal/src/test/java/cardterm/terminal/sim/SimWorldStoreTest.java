package cardterm.terminal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.chip.ChipProfile.ChipFile;
import cardterm.devices.chip.sim.CardFaults;
import cardterm.devices.chip.sim.SimulatedReaderPair;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.sim.EclPrinterModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated world's file: saved whole and atomically, loaded back equal, damage never used. */
class SimWorldStoreTest {
    private static final Clock CLOCK = Clock.systemUTC();

    /** A world with a card at the station, the chip written in part, and odd supplies. */
    private static void busyWorld(EclPrinterModel printer, SimulatedReaderPair readers) {
        printer.setFeederCards(42);
        printer.loadRibbon(RibbonType.YMCKO, 17);
        printer.setRejectBoxCards(3);
        printer.openCover();
        printer.closeCover();
        readers.setNextCardFaults(CardFaults.none().withCorruptedWrite(9));
        readers.insertBlankCard(); // the simulated terminal does this when the printer's feed ends
        readers.cardReader().connect().close();
    }

    @Test
    void whatIsSavedLoadsBackEqualAndAttachesToANewWorld(@TempDir Path dir) {
        EclPrinterModel printer = new EclPrinterModel(EclPrinterModel.Settings.colour());
        SimulatedReaderPair readers = new SimulatedReaderPair(CLOCK, 7000);
        assertThat(SimWorldStore.open(dir).attach(printer, readers)).isEmpty(); // nothing saved: a new world
        assertThat(dir.resolve(SimWorldStore.FILE)).exists();
        busyWorld(printer, readers);
        EclPrinterModel.State printerNow = printer.state();
        SimulatedReaderPair.State readersNow = readers.state();

        SimWorldStore.Loaded loaded = SimWorldStore.load(dir);
        assertThat(loaded.problem()).isEmpty();
        assertThat(loaded.printer()).contains(printerNow);
        SimulatedReaderPair.State e = loaded.encoder().orElseThrow();
        assertThat(e.nextSerial()).isEqualTo(readersNow.nextSerial());
        assertThat(e.nextFaults()).isEqualTo(CardFaults.none());
        assertThat(e.cardInEncoder().identificationCode()).isEqualTo(readersNow.cardInEncoder().identificationCode());
        assertThat(e.cardInEncoder().faults()).isEqualTo(CardFaults.none().withCorruptedWrite(9));
        assertThat(e.cardInEncoder().records().get(ChipFile.EF05).get(3))
                .isEqualTo(readersNow.cardInEncoder().records().get(ChipFile.EF05).get(3));

        // started again: the printer has no card at its station, so the encoder's card is taken out
        EclPrinterModel printer2 = new EclPrinterModel(EclPrinterModel.Settings.colour());
        SimulatedReaderPair readers2 = new SimulatedReaderPair(CLOCK, 1);
        assertThat(SimWorldStore.open(dir).attach(printer2, readers2)).hasValueSatisfying(line ->
                assertThat(line).contains("feeder 42", "reject box 3", "no card inside", "encoder empty"));
        assertThat(printer2.state()).isEqualTo(printerNow);
        assertThat(readers2.cardInEncoder()).isEmpty();
        assertThat(readers2.state().nextSerial()).isEqualTo(readersNow.nextSerial());
    }

    @Test
    void aCardAtTheStationComesBackWithTheEncodersCardOrABlankOneIfTheKillCameBetween(@TempDir Path dir) {
        EclPrinterModel printer = new EclPrinterModel(EclPrinterModel.Settings.colour());
        SimulatedReaderPair readers = new SimulatedReaderPair(CLOCK, 7000);
        SimWorldStore.open(dir).attach(printer, readers);
        // a feed started and the power went (saved at its start): the encoder never got the card
        printer.beginEndlessFeed();

        EclPrinterModel printer2 = new EclPrinterModel(EclPrinterModel.Settings.colour());
        SimulatedReaderPair readers2 = new SimulatedReaderPair(CLOCK, 1);
        assertThat(SimWorldStore.open(dir).attach(printer2, readers2)).hasValueSatisfying(line ->
                assertThat(line).contains("feeder 99", "a blank card inside at the contact station"));
        assertThat(printer2.cardInStation()).isTrue();
        assertThat(readers2.cardInEncoder()).isPresent();
        assertThat(readers2.state().nextSerial()).isEqualTo(7001);
        assertThat(SimWorldStore.load(dir).encoder().orElseThrow().cardInEncoder()).isNotNull();
    }

    @Test
    void aTornTempFileIsIgnoredAndADamagedFileIsNeverUsed(@TempDir Path dir) throws Exception {
        EclPrinterModel printer = new EclPrinterModel(EclPrinterModel.Settings.colour());
        SimulatedReaderPair readers = new SimulatedReaderPair(CLOCK, 7000);
        SimWorldStore.open(dir).attach(printer, readers);
        printer.setRejectBoxCards(5);
        String good = Files.readString(dir.resolve(SimWorldStore.FILE));

        // a kill in the middle of the next save: half a temp file
        Path tmp = dir.resolve(SimWorldStore.FILE + ".tmp");
        Files.writeString(tmp, good.replace("printer.rejectBox=5", "printer.rejectBox=6")
                .substring(0, good.length() / 2));
        SimWorldStore.Loaded loaded = SimWorldStore.load(dir);
        assertThat(loaded.problem()).isEmpty();
        assertThat(loaded.printer().orElseThrow().rejectBox()).isEqualTo(5);
        assertThat(tmp).doesNotExist();

        // the file itself damaged (a disk that lied): reported, not used
        Files.writeString(dir.resolve(SimWorldStore.FILE), good.replace("printer.rejectBox=5", "printer.rejectBox=9"),
                StandardCharsets.UTF_8);
        SimWorldStore.Loaded damaged = SimWorldStore.load(dir);
        assertThat(damaged.printer()).isEmpty();
        assertThat(damaged.problem()).hasValueSatisfying(p -> assertThat(p).contains("checksum"));
        Files.writeString(dir.resolve(SimWorldStore.FILE), good.substring(0, good.length() - 10));
        assertThat(SimWorldStore.load(dir).problem()).isPresent();
    }

    @Test
    void aStepCutShortIsSavedAsMotionAndEndsAsAPowerCutLeavesIt(@TempDir Path dir) {
        EclPrinterModel printer = new EclPrinterModel(EclPrinterModel.Settings.colour());
        SimulatedReaderPair readers = new SimulatedReaderPair(CLOCK, 1);
        SimWorldStore.open(dir).attach(printer, readers);
        printer.beginEndlessFeed();
        assertThat(SimWorldStore.load(dir).printer().orElseThrow().motion()).isEqualTo("Sic");
    }
}
