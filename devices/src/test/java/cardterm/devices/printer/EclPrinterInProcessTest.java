package cardterm.devices.printer;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.bridge.ecl.EclSession;
import cardterm.bridge.link.Link;
import cardterm.devices.health.HealthReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The printer contract with driver and simulator joined by an in-process pipe. */
class EclPrinterInProcessTest extends PrinterContractTest {
    private Link link;

    @Override
    protected void connect(SimulatedPrinter.Settings settings, double timeScale) {
        sim = new PrinterSimulator(new SimulatedPrinter(settings), timeScale);
        link = sim.inProcessLink("printer");
        printer = EclPrinter.builder(new EclSession(link, TIMEOUTS))
                .pollInterval(Duration.ofMillis(100))
                .supplyListener(supplyEvents::add)
                .ownsLink(true)
                .build()
                .start();
    }

    @Override
    protected void disconnect() {
        if (printer != null) {
            printer.close();
        }
        if (sim != null) {
            sim.close();
        }
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
