package cardterm.devices.printer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cardterm.bridge.ecl.EclTimeouts;
import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterModelListener;
import cardterm.devices.printer.sim.EclPrinterServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an {@link EclPrinter} against a {@link EclPrinterServer} must do, whatever joins them. Run
 * in-process ({@link EclPrinterInProcessTest}) and over a real socat pty ({@link EclPrinterPtyTest}).
 */
abstract class PrinterContractTest {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final EclTimeouts TIMEOUTS = EclTimeouts.defaults()
            .withQuery(Duration.ofMillis(400))
            .withMechanical(Duration.ofSeconds(10));

    protected EclPrinterServer sim;
    protected EclPrinter printer;
    protected final List<SupplyEvent> supplyEvents = new CopyOnWriteArrayList<>();
    protected final List<DeviceHealth> healthSeen = new CopyOnWriteArrayList<>();
    protected final List<String> simEvents = new CopyOnWriteArrayList<>();

    /** Joins a printer driver to a simulator of {@code settings} running at {@code timeScale}. */
    protected abstract void connect(EclPrinterModel.Settings settings, double timeScale) throws Exception;

    /** Closes the printer and the simulator, as every kind of link does on disconnect. */
    protected void disconnect() throws Exception {
        if (printer != null) {
            printer.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    /** The driver under test on {@code link}: fast polling, supply events recorded. */
    protected void startPrinter(cardterm.bridge.link.Link link) {
        printer = EclPrinter.builder(new cardterm.bridge.ecl.EclSession(link, TIMEOUTS))
                .pollInterval(java.time.Duration.ofMillis(100))
                .supplyListener(supplyEvents::add)
                .ownsLink(true)
                .build();
        // listening before start: the first change the printer reports is seen, however fast it comes
        printer.addHealthListener((id, h) -> healthSeen.add(h));
        printer.start();
    }

    protected void rig(EclPrinterModel.Settings settings) throws Exception {
        rig(settings, 0);
    }

    protected void rig(EclPrinterModel.Settings settings, double timeScale) throws Exception {
        connect(settings, timeScale);
        sim.addListener(new EclPrinterModelListener() {
            @Override
            public void cardEnteredStation() {
                simEvents.add("entered");
            }

            @Override
            public void cardLeftStation(CardDestination d) {
                simEvents.add("left " + d);
            }

            @Override
            public void sidePrinted(CardSide side, RibbonType ribbon, Map<Panel, byte[]> panels) {
                simEvents.add("printed " + side + " " + panels.keySet());
            }

            @Override
            public void cardEjected(CardDestination d, boolean printed) {
                simEvents.add("ejected " + d);
            }
        });
        awaitHealth(HealthReason.OK);
    }

    @AfterEach
    void tearDown() throws Exception {
        disconnect();
    }

    protected void awaitHealth(HealthReason reason) {
        await("printer health " + reason).atMost(WAIT).until(() -> printer.health().reason() == reason);
    }

    @Test
    void greetsOnceAndReadsInfoStatusSupplies() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        assertThat(sim.printer().hostHandlesErrors()).as("Pem;2 sent").isTrue();
        assertThat(printer.deviceId()).isEqualTo("printer");
        assertThat(printer.info()).isEqualTo(new PrinterInfo("ecl-sim 1.0", "SIM-000001"));
        assertThat(printer.status()).isEqualTo(PrinterStatus.of(PrinterState.READY));
        assertThat(printer.supplies()).isEqualTo(new Supplies(RibbonType.YMCKO, 250, 0, 0));
        assertThat(printer.health().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(healthSeen).first().extracting(DeviceHealth::reason).isEqualTo(HealthReason.OK);
    }

    @Test
    void colourCardGoesToTheCitizen() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        assertThat(printer.status().canStartJob()).isTrue();
        printer.feedToEncoder();
        assertThat(printer.status().flags()).containsExactly(PrinterFlag.CARD_IN_STATION);
        printer.print(CardSide.FRONT, TestCards.colour());
        printer.eject();
        assertThat(simEvents).containsExactly("entered", "printed FRONT [Y, M, C, K, O]", "left OUTPUT_TRAY",
                "ejected OUTPUT_TRAY");
        assertThat(printer.supplies()).isEqualTo(new Supplies(RibbonType.YMCKO, 249, 1, 0));
    }

    @Test
    void monoCardBothSides() throws Exception {
        rig(EclPrinterModel.Settings.mono());
        printer.feedToEncoder();
        printer.print(CardSide.FRONT, TestCards.mono());
        printer.print(CardSide.BACK, TestCards.colour()); // colour panels are ignored on a K ribbon
        printer.eject();
        assertThat(simEvents).containsExactly("entered", "printed FRONT [K]", "printed BACK [K]", "left OUTPUT_TRAY",
                "ejected OUTPUT_TRAY");
        assertThat(printer.supplies()).isEqualTo(new Supplies(RibbonType.K, 998, 1, 0));
    }

    @Test
    void missingOrWrongPanelsAreRefusedBeforeAnythingIsSent() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        assertThatThrownBy(() -> printer.print(CardSide.FRONT, TestCards.mono()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs panel y");
        assertThatThrownBy(() -> printer.print(CardSide.FRONT, Map.of(Panel.Y, new byte[1], Panel.M, new byte[1],
                Panel.C, new byte[1], Panel.K, new byte[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be 658368 bytes");
        assertThat(sim.printer().cardInside()).isFalse();
    }

    @Test
    void chipFailureRejectsTheBlankCard() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        printer.feedToEncoder();
        printer.reject();
        assertThat(simEvents).containsExactly("entered", "left REJECT_BOX", "ejected REJECT_BOX");
        assertThat(printer.supplies().rejected()).isEqualTo(1);
        PrinterException e = catchPrinter(() -> printer.eject());
        assertThat(e.code()).contains(PrinterErrorCode.NO_CARD);
    }

    @Test
    void feederNearEmptyThenEmptyThenRefilled() throws Exception {
        rig(EclPrinterModel.Settings.colour().withFeeder(11));
        printer.feedToEncoder();
        awaitHealth(HealthReason.SUPPLY_LOW);
        assertThat(printer.health().message()).isEqualTo("FEEDER_NEAR_EMPTY");
        printer.reject();
        sim.printer().setFeederCards(0);
        awaitHealth(HealthReason.SUPPLY_EMPTY);
        PrinterException e = catchPrinter(() -> printer.feedToEncoder());
        assertThat(e.failure()).isEqualTo(PrinterException.Failure.REFUSED);
        assertThat(e.code()).contains(PrinterErrorCode.FEEDER_EMPTY);
        assertThat(e.flags()).contains(PrinterFlag.FEEDER_EMPTY);
        assertThat(e.statusAfter()).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(PrinterState.ERROR));
        sim.printer().setFeederCards(100);
        awaitHealth(HealthReason.OK);
        assertThat(supplyEvents).extracting(SupplyEvent::supply, SupplyEvent::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Supply.FEEDER, SupplyEvent.Kind.LOW),
                org.assertj.core.groups.Tuple.tuple(Supply.FEEDER, SupplyEvent.Kind.EMPTY),
                org.assertj.core.groups.Tuple.tuple(Supply.FEEDER, SupplyEvent.Kind.REPLENISHED));
    }

    @Test
    void ribbonLowThenEndedMidJobThenReplaced() throws Exception {
        rig(EclPrinterModel.Settings.mono().withRibbon(RibbonType.K, 21));
        printer.feedToEncoder();
        printer.print(CardSide.FRONT, TestCards.mono());
        awaitHealth(HealthReason.SUPPLY_LOW);
        await().atMost(WAIT).until(() -> supplyEvents.stream().anyMatch(
                e -> e.supply() == Supply.RIBBON && e.kind() == SupplyEvent.Kind.LOW));
        assertThat(supplyEvents).last().extracting(SupplyEvent::detail).isEqualTo("ribbon K, 20 prints left");
        sim.printer().loadRibbon(RibbonType.K, 0);
        PrinterException e = catchPrinter(() -> printer.print(CardSide.BACK, TestCards.mono()));
        assertThat(e.code()).contains(PrinterErrorCode.RIBBON_ENDED);
        assertThat(e.flags()).contains(PrinterFlag.RIBBON_ENDED, PrinterFlag.CARD_IN_STATION);
        assertThat(printer.health().reason()).isEqualTo(HealthReason.SUPPLY_EMPTY);
        printer.reject(); // the printer can still move it
        sim.printer().removeRibbon();
        await().atMost(WAIT).until(() -> printer.health().message().equals("NO_RIBBON"));
        sim.printer().loadRibbon(RibbonType.K, 1000);
        awaitHealth(HealthReason.OK);
        assertThat(supplyEvents).filteredOn(x -> x.supply() == Supply.RIBBON).extracting(SupplyEvent::kind)
                .containsExactly(SupplyEvent.Kind.LOW, SupplyEvent.Kind.EMPTY, SupplyEvent.Kind.REPLENISHED);
    }

    @Test
    void coverOpenedMidJob() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        printer.feedToEncoder();
        sim.printer().openCover();
        awaitHealth(HealthReason.COVER_OPEN);
        PrinterException e = catchPrinter(() -> printer.print(CardSide.FRONT, TestCards.colour()));
        assertThat(e.code()).contains(PrinterErrorCode.COVER_OPEN);
        assertThat(e.flags()).contains(PrinterFlag.COVER_OPEN);
        assertThat(catchPrinter(() -> printer.reject()).code()).contains(PrinterErrorCode.COVER_OPEN);
        sim.printer().closeCover();
        awaitHealth(HealthReason.OK);
        printer.reject();
        assertThat(simEvents).containsExactly("entered", "left REJECT_BOX", "ejected REJECT_BOX");
    }

    @Test
    void jamDuringPrintNeverReachesTheCitizen() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        printer.feedToEncoder();
        sim.printer().jamOnNextPrint(false);
        PrinterException e = catchPrinter(() -> printer.print(CardSide.FRONT, TestCards.colour()));
        assertThat(e.code()).contains(PrinterErrorCode.JAM);
        assertThat(e.flags()).contains(PrinterFlag.JAM);
        assertThat(printer.health().reason()).isEqualTo(HealthReason.JAM);
        assertThat(catchPrinter(() -> printer.eject()).code()).contains(PrinterErrorCode.JAM);
        printer.reject();
        awaitHealth(HealthReason.OK);
        assertThat(simEvents).doesNotContain("ejected OUTPUT_TRAY").contains("ejected REJECT_BOX");
    }

    @Test
    void jamThatNeedsAPerson() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        printer.feedToEncoder();
        sim.printer().jamOnNextPrint(true);
        catchPrinter(() -> printer.print(CardSide.FRONT, TestCards.colour()));
        assertThat(catchPrinter(() -> printer.reject()).code()).contains(PrinterErrorCode.JAM);
        awaitHealth(HealthReason.JAM);
        sim.printer().openCover();
        sim.printer().closeCover();
        awaitHealth(HealthReason.OK);
        assertThat(simEvents).contains("ejected REMOVED_BY_HAND");
    }

    @Test
    void rejectBoxFull() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        printer.feedToEncoder();
        sim.printer().fillRejectBox();
        awaitHealth(HealthReason.SUPPLY_EMPTY);
        assertThat(printer.health().message()).isEqualTo("REJECT_BOX_FULL");
        assertThat(catchPrinter(() -> printer.reject()).code()).contains(PrinterErrorCode.REJECT_BOX_FULL);
        sim.printer().emptyRejectBox();
        printer.reject();
        awaitHealth(HealthReason.OK);
    }

    @Test
    void headTempAndMaintenance() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        sim.printer().setHeadTemp(true);
        awaitHealth(HealthReason.DEVICE_ERROR);
        sim.printer().setHeadTemp(false);
        sim.printer().setCleaningDue(true);
        awaitHealth(HealthReason.MAINTENANCE_DUE);
        assertThat(printer.health().state()).isEqualTo(DeviceState.DEGRADED);
    }

    @Test
    void garbageOnTheLineIsSkipped() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        sim.garbleNextAnswers(5);
        sim.injectGarbage(new byte[] {0x00, (byte) 0xff, 'x', 0x0a});
        printer.feedToEncoder();
        printer.print(CardSide.FRONT, TestCards.colour());
        printer.eject();
        assertThat(printer.status().state()).isEqualTo(PrinterState.READY);
        assertThat(printer.session().discardedLines()).isGreaterThanOrEqualTo(5);
        assertThat(simEvents).contains("ejected OUTPUT_TRAY");
    }

    @Test
    void slowPrinterTimesOutThenRecovers() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        // later than every attempt of the poll running now and of Rfv after it (3 x 400 ms each)
        sim.setResponseDelay(Duration.ofMillis(6000));
        PrinterException e = catchPrinter(() -> printer.info());
        assertThat(e.failure()).isEqualTo(PrinterException.Failure.TIMEOUT);
        // late answers of an earlier status read may already have set it right again
        assertThat(healthSeen).extracting(DeviceHealth::reason).contains(HealthReason.COMMUNICATION_ERROR);
        assertThat(healthSeen).filteredOn(h -> h.reason() == HealthReason.COMMUNICATION_ERROR)
                .allSatisfy(h -> assertThat(h.state()).isEqualTo(DeviceState.OFFLINE));
        sim.setResponseDelay(Duration.ZERO);
        awaitHealth(HealthReason.OK);
        assertThat(printer.info().firmware()).isEqualTo("ecl-sim 1.0");
    }

    @Test
    void slowButPatientMechanicalStep() throws Exception {
        rig(EclPrinterModel.Settings.colour(), 0.2); // a colour side takes 3 s, Sic 0.3 s
        printer.feedToEncoder();
        printer.print(CardSide.FRONT, TestCards.colour());
        printer.eject();
        assertThat(simEvents).contains("ejected OUTPUT_TRAY");
    }

    static PrinterException catchPrinter(PrinterCall call) {
        try {
            call.run();
        } catch (PrinterException e) {
            return e;
        }
        throw new AssertionError("expected a PrinterException");
    }

    @FunctionalInterface
    interface PrinterCall {
        void run() throws PrinterException;
    }
}
