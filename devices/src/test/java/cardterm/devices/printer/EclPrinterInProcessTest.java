package cardterm.devices.printer;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.bridge.link.Link;
import cardterm.devices.health.HealthReason;
import org.junit.jupiter.api.Test;

/** The printer contract with driver and simulator joined by an in-process pipe. */
class EclPrinterInProcessTest extends PrinterContractTest {
    private Link link;

    @Override
    protected void connect(SimulatedPrinter.Settings settings, double timeScale) {
        sim = new PrinterSimulator(new SimulatedPrinter(settings), timeScale);
        link = sim.inProcessLink("printer");
        startPrinter(link);
    }

    @Test
    void cutPipeIsLinkDown() throws Exception {
        rig(SimulatedPrinter.Settings.colour());
        sim.close();
        awaitHealth(HealthReason.LINK_DOWN);
        PrinterException e = catchPrinter(() -> printer.status());
        assertThat(e.failure()).isEqualTo(PrinterException.Failure.LINK_DOWN);
        assertThat(link.state().isUp()).isFalse();
    }
}
