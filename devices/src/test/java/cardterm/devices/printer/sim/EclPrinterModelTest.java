package cardterm.devices.printer.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.bridge.ecl.EclCommand;
import cardterm.bridge.ecl.EclResponse;
import cardterm.devices.printer.CardDestination;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.Panel;
import cardterm.devices.printer.RibbonType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's pure core, read as protocol traces: command in, answer out. */
class EclPrinterModelTest {

    private EclPrinterModel printer = new EclPrinterModel(EclPrinterModel.Settings.colour());
    private final List<String> events = new ArrayList<>();

    {
        printer.addListener(recorder());
    }

    private EclPrinterModelListener recorder() {
        return new EclPrinterModelListener() {
            @Override
            public void cardEnteredStation() {
                events.add("entered");
            }

            @Override
            public void cardLeftStation(CardDestination d) {
                events.add("left " + d);
            }

            @Override
            public void sidePrinted(CardSide side, RibbonType ribbon, Map<Panel, byte[]> panels) {
                events.add("printed " + side + " " + ribbon + " " + panels.keySet());
            }

            @Override
            public void cardEjected(CardDestination d, boolean printed) {
                events.add("ejected " + d + (printed ? " printed" : " blank"));
            }
        };
    }

    private void mono() {
        printer = new EclPrinterModel(EclPrinterModel.Settings.mono());
        printer.addListener(recorder());
    }

    /** Sends one command (Db gets as many zero bytes as it announces) and runs any step to its end. */
    private String send(String line) {
        EclPrinterModel.Outcome o = printer.handle(command(line), data(line));
        return switch (o) {
            case EclPrinterModel.Answer a -> a.response().toString();
            case EclPrinterModel.Step s -> printer.complete(s).toString();
        };
    }

    private static EclCommand command(String line) {
        String[] p = line.split(";", -1);
        return EclCommand.of(p[0], Arrays.copyOfRange(p, 1, p.length));
    }

    private static byte[] data(String line) {
        String[] p = line.split(";", -1);
        if (!p[0].equals("Db") || p.length != 4) {
            return null;
        }
        return new byte[Integer.parseInt(p[3])];
    }

    private String code(String answer) {
        return answer.startsWith("ERR;") ? answer.split(";")[1] : answer;
    }

    private void downloadColourFront() {
        assertThat(send("Db;y;front;658368")).isEqualTo("OK");
        assertThat(send("Db;m;front;658368")).isEqualTo("OK");
        assertThat(send("Db;c;front;658368")).isEqualTo("OK");
        assertThat(send("Db;k;front;82296")).isEqualTo("OK");
        assertThat(send("Db;o;front;0")).isEqualTo("OK");
    }

    @Test
    void readsAnswerWithData() {
        assertThat(send("Rfv")).isEqualTo("ecl-sim 1.0");
        assertThat(send("Rsn")).isEqualTo("SIM-000001");
        assertThat(send("Rst")).isEqualTo("READY;");
        assertThat(send("Rsp")).isEqualTo("ribbon=YMCKO;left=250;printed=0;rejected=0");
        assertThat(send("Pem;2")).isEqualTo("OK");
        assertThat(printer.hostHandlesErrors()).isTrue();
        assertThat(code(send("Pem;1"))).isEqualTo("BAD_ARGS");
        assertThat(code(send("Rst;x"))).isEqualTo("BAD_ARGS");
        assertThat(code(send("Zz"))).isEqualTo("UNKNOWN_COMMAND");
    }

    @Test
    void colourCardFromFeedToOutputTray() {
        assertThat(send("Sic")).isEqualTo("OK");
        assertThat(send("Rst")).isEqualTo("READY;CARD_IN_STATION");
        assertThat(send("Ss")).isEqualTo("OK");
        downloadColourFront();
        assertThat(send("Se")).isEqualTo("OK");
        assertThat(send("Eo")).isEqualTo("OK");
        assertThat(send("Rsp")).isEqualTo("ribbon=YMCKO;left=249;printed=1;rejected=0");
        assertThat(events).containsExactly("entered", "printed FRONT YMCKO [Y, M, C, K, O]", "left OUTPUT_TRAY",
                "ejected OUTPUT_TRAY printed");
        assertThat(printer.outputTrayCards()).isEqualTo(1);
        assertThat(printer.feederCards()).isEqualTo(99);
    }

    @Test
    void ssFeedsACardWhenNoneIsInside() {
        mono();
        assertThat(send("Ss")).isEqualTo("OK");
        assertThat(send("Rst")).isEqualTo("READY;");
        assertThat(send("Db;k;front;82296")).isEqualTo("OK");
        assertThat(send("Se")).isEqualTo("OK");
        assertThat(send("Ss")).isEqualTo("OK");
        assertThat(send("Db;k;back;82296")).isEqualTo("OK");
        assertThat(send("Se")).isEqualTo("OK");
        assertThat(send("Eo")).isEqualTo("OK");
        assertThat(send("Rsp")).isEqualTo("ribbon=K;left=998;printed=1;rejected=0");
        assertThat(events).containsExactly("printed FRONT K [K]", "printed BACK K [K]", "ejected OUTPUT_TRAY printed");
    }

    @Test
    void ymckoNeedsEveryPanelAndKOnlyK() {
        send("Ss");
        assertThat(send("Db;k;front;82296")).isEqualTo("OK");
        assertThat(send("Se")).isEqualTo("ERR;SEQUENCE;missing panels for front: [y, m, c, o]");
        mono();
        send("Ss");
        assertThat(code(send("Db;y;front;658368"))).isEqualTo("BAD_ARGS");
        assertThat(send("Db;k;front;82296")).isEqualTo("OK");
        assertThat(send("Se")).isEqualTo("OK");
    }

    @Test
    void downloadRules() {
        assertThat(code(send("Db;k;front;82296"))).as("no sequence").isEqualTo("SEQUENCE");
        send("Ss");
        assertThat(code(send("Db;k;front;100"))).as("wrong size").isEqualTo("BAD_ARGS");
        assertThat(code(send("Db;x;front;100"))).as("unknown panel").isEqualTo("BAD_ARGS");
        assertThat(code(send("Db;k;top;82296"))).as("unknown side").isEqualTo("BAD_ARGS");
        assertThat(printer.handle(EclCommand.of("Db", "k", "front", "99999999"), null))
                .isEqualTo(new EclPrinterModel.Answer(EclResponse.Err.of(cardterm.bridge.ecl.EclErrorCode.BAD_ARGS,
                        "expected Db;<panel>;<side>;<bytes>")));
        assertThat(code(send("Se"))).as("nothing downloaded").isEqualTo("SEQUENCE");
    }

    @Test
    void busyWhileAStepRuns() {
        EclPrinterModel.Outcome o = printer.handle(EclCommand.SIC, null);
        assertThat(o).isInstanceOf(EclPrinterModel.Step.class);
        assertThat(send("Rst")).isEqualTo("BUSY;");
        assertThat(code(send("Rfv"))).isEqualTo("BUSY");
        assertThat(code(send("Db;k;front;82296"))).isEqualTo("BUSY");
        assertThat(printer.complete((EclPrinterModel.Step) o)).isEqualTo(EclResponse.Ok.INSTANCE);
        assertThat(send("Rst")).isEqualTo("READY;CARD_IN_STATION");
    }

    @Test
    void noCardToEjectOrReject() {
        assertThat(send("Eo")).isEqualTo("ERR;NO_CARD;no card in the printer");
        assertThat(code(send("Er"))).isEqualTo("NO_CARD");
        send("Sic");
        assertThat(code(send("Sic"))).isEqualTo("SEQUENCE");
        assertThat(code(send("Se"))).isEqualTo("SEQUENCE");
    }

    @Test
    void feederEmptyAndNearEmpty() {
        printer.setFeederCards(3);
        assertThat(send("Rst")).isEqualTo("WARNING;FEEDER_NEAR_EMPTY");
        printer.setFeederCards(1);
        send("Sic");
        assertThat(send("Rst")).as("empty, but a card is inside").isEqualTo("WARNING;FEEDER_EMPTY,CARD_IN_STATION");
        send("Er");
        assertThat(send("Rst")).isEqualTo("ERROR;FEEDER_EMPTY");
        assertThat(code(send("Sic"))).isEqualTo("FEEDER_EMPTY");
        assertThat(code(send("Ss"))).isEqualTo("FEEDER_EMPTY");
        printer.setFeederCards(100);
        assertThat(send("Rst")).isEqualTo("READY;");
    }

    @Test
    void ribbonLowEndedAndNone() {
        mono();
        printer.loadRibbon(RibbonType.K, 1);
        assertThat(send("Rst")).isEqualTo("WARNING;RIBBON_LOW");
        send("Ss");
        send("Db;k;front;82296");
        assertThat(send("Se")).isEqualTo("OK");
        assertThat(send("Rst")).isEqualTo("ERROR;RIBBON_ENDED");
        assertThat(code(send("Ss"))).isEqualTo("RIBBON_ENDED");
        assertThat(send("Eo")).isEqualTo("OK");
        printer.removeRibbon();
        assertThat(send("Rst")).isEqualTo("ERROR;NO_RIBBON");
        assertThat(send("Rsp")).isEqualTo("ribbon=K;left=0;printed=1;rejected=0");
        assertThat(code(send("Ss"))).isEqualTo("NO_RIBBON");
        printer.loadRibbon(RibbonType.YMCKO, 250);
        assertThat(send("Rst")).isEqualTo("READY;");
    }

    @Test
    void coverOpenedMidJobFailsTheRunningStep() {
        send("Sic");
        send("Ss");
        downloadColourFront();
        EclPrinterModel.Step se = (EclPrinterModel.Step) printer.handle(EclCommand.SE, null);
        printer.openCover();
        assertThat(printer.complete(se).toString()).startsWith("ERR;COVER_OPEN");
        assertThat(send("Rst")).isEqualTo("ERROR;COVER_OPEN,CARD_IN_STATION");
        assertThat(code(send("Eo"))).isEqualTo("COVER_OPEN");
        assertThat(code(send("Er"))).isEqualTo("COVER_OPEN");
        printer.closeCover();
        assertThat(send("Er")).isEqualTo("OK");
        assertThat(events).containsExactly("entered", "left REJECT_BOX", "ejected REJECT_BOX blank");
    }

    @Test
    void jamRefusesEjectAndRejectClearsIt() {
        send("Sic");
        send("Ss");
        downloadColourFront();
        printer.jamOnNextPrint(false);
        assertThat(send("Se")).isEqualTo("ERR;JAM;card jammed while printing");
        assertThat(send("Rst")).isEqualTo("ERROR;JAM,CARD_IN_STATION");
        assertThat(code(send("Eo"))).as("a jammed card never goes to the citizen").isEqualTo("JAM");
        assertThat(send("Er")).isEqualTo("OK");
        assertThat(send("Rst")).isEqualTo("READY;");
        assertThat(send("Rsp")).isEqualTo("ribbon=YMCKO;left=249;printed=0;rejected=1");
    }

    @Test
    void jamThatNeedsAPersonStaysUntilTheCoverIsOpenedAndClosed() {
        send("Sic");
        send("Ss");
        downloadColourFront();
        printer.jamOnNextPrint(true);
        assertThat(code(send("Se"))).isEqualTo("JAM");
        assertThat(code(send("Er"))).isEqualTo("JAM");
        assertThat(send("Rst")).isEqualTo("ERROR;JAM,CARD_IN_STATION");
        printer.openCover();
        assertThat(send("Rst")).isEqualTo("ERROR;COVER_OPEN,JAM,CARD_IN_STATION");
        printer.closeCover();
        assertThat(send("Rst")).isEqualTo("READY;");
        assertThat(printer.cardInside()).isFalse();
        assertThat(events).containsSubsequence("left REMOVED_BY_HAND", "ejected REMOVED_BY_HAND blank");
    }

    @Test
    void rejectBoxFull() {
        send("Sic");
        printer.fillRejectBox();
        assertThat(send("Rst")).isEqualTo("ERROR;REJECT_BOX_FULL,CARD_IN_STATION");
        assertThat(code(send("Er"))).isEqualTo("REJECT_BOX_FULL");
        printer.emptyRejectBox();
        assertThat(send("Er")).isEqualTo("OK");
    }

    @Test
    void headTempStopsPrintingOnly() {
        printer.setHeadTemp(true);
        assertThat(send("Rst")).isEqualTo("ERROR;HEAD_TEMP");
        assertThat(send("Sic")).isEqualTo("OK");
        send("Ss");
        downloadColourFront();
        assertThat(code(send("Se"))).isEqualTo("HEAD_TEMP");
        printer.setHeadTemp(false);
        assertThat(send("Se")).isEqualTo("OK");
    }

    @Test
    void warningsOnly() {
        printer.setCleaningDue(true);
        assertThat(send("Rst")).isEqualTo("WARNING;CLEANING_DUE");
        assertThat(send("Sic")).isEqualTo("OK");
    }
}
