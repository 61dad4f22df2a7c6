package cardterm.devices.printer;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.health.HealthReason;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterServer;
import org.junit.jupiter.api.Test;

/** The printer contract with driver and simulator joined by an in-process pipe. */
class EclPrinterInProcessTest extends PrinterContractTest {
    private PrinterLink link;

    @Override
    protected void connect(EclPrinterModel.Settings settings, double timeScale) {
        sim = new EclPrinterServer(new EclPrinterModel(settings), timeScale);
        link = sim.inProcessLink("printer");
        startPrinter(link.link());
    }

    @Test
    void cutPipeIsLinkDown() throws Exception {
        rig(EclPrinterModel.Settings.colour());
        sim.close();
        awaitHealth(HealthReason.LINK_DOWN);
        PrinterException e = catchPrinter(() -> printer.status());
        assertThat(e.failure()).isEqualTo(PrinterException.Failure.LINK_DOWN);
        assertThat(link.isUp()).isFalse();
    }
}
