package cardterm.devices.printer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.bridge.link.DoublingBackoff;
import cardterm.bridge.link.Link;
import cardterm.bridge.testing.SocatPty;
import cardterm.bridge.transport.SerialTransport;
import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** End to end over a real socat pty: the printer contract, plus the cable pulled mid-job and put back. */
class EclPrinterPtyTest extends PrinterContractTest {
    private SocatPty pty;

    @Override
    protected void connect(EclPrinterModel.Settings settings, double timeScale) {
        pty = SocatPty.start();
        sim = EclPrinterServer.startOnPath(pty.devicePath(), settings, timeScale);
        await().atMost(WAIT).until(sim::isConnected);
        Link link = Link.create("printer", SerialTransport.opener(pty.hostPath(), 115_200, Duration.ofSeconds(3)),
                new DoublingBackoff(Duration.ofMillis(50), Duration.ofMillis(400)), Duration.ofMillis(100)).start();
        startPrinter(link);
    }

    @Override
    protected void disconnect() throws Exception {
        super.disconnect();
        if (pty != null) {
            pty.close();
        }
    }

    @Test
    void cablePulledMidJobAndPluggedBack() throws Exception {
        rig(EclPrinterModel.Settings.colour(), 0.1); // a colour side takes 1.5 s
        printer.feedToEncoder();
        CompletableFuture<PrinterException> job = CompletableFuture.supplyAsync(
                () -> catchPrinter(() -> printer.print(CardSide.FRONT, TestCards.colour())));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5))
                .until(() -> sim.printer().runningStep().filter("Se"::equals).isPresent());
        pty.kill();

        PrinterException e = job.get();
        assertThat(e.failure()).isEqualTo(PrinterException.Failure.LINK_DOWN);
        awaitHealth(HealthReason.LINK_DOWN);
        assertThat(printer.health().state()).isEqualTo(DeviceState.OFFLINE);

        pty.restart();
        awaitHealth(HealthReason.OK);
        assertThat(printer.session().link().generation()).isEqualTo(2);
        // the printer may still be finishing the side it had started; then the card is still inside
        // and the host ends the job with it rejected
        await().atMost(WAIT).until(() -> printer.status().state() != PrinterState.BUSY);
        assertThat(printer.status().flags()).contains(PrinterFlag.CARD_IN_STATION);
        printer.reject();
        // the printer finished the side it had started while the cable was out
        assertThat(simEvents).containsExactly("entered", "printed FRONT [Y, M, C, K, O]", "left REJECT_BOX",
                "ejected REJECT_BOX");
    }

    @Test
    void idleUnplugIsSeenWithoutAnyCommand() throws Exception {
        rig(EclPrinterModel.Settings.mono());
        pty.kill();
        awaitHealth(HealthReason.LINK_DOWN);
        pty.restart();
        awaitHealth(HealthReason.OK);
        printer.feedToEncoder();
        printer.print(CardSide.FRONT, TestCards.mono());
        printer.eject();
        assertThat(simEvents).contains("ejected OUTPUT_TRAY");
    }
}
