package cardterm.devices.printer;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.bridge.ecl.EclSession;
import cardterm.bridge.link.DoublingBackoff;
import cardterm.bridge.link.Link;
import cardterm.bridge.transport.Transports;
import cardterm.devices.health.HealthReason;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Driver and simulator over a real TCP connection, with the test card. */
class EclPrinterTcpTest {
    private EclPrinterServer sim;
    private EclPrinter printer;

    @AfterEach
    void tearDown() {
        printer.close();
        sim.close();
    }

    @Test
    void testCardOverTcp() throws Exception {
        sim = EclPrinterServer.startOnTcp(0, EclPrinterModel.Settings.colour(), 0);
        Link link = Link.create("printer", Transports.opener("tcp://127.0.0.1:" + sim.tcpPort(), 0),
                new DoublingBackoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ofMillis(100)).start();
        printer = EclPrinter.builder(new EclSession(link, PrinterContractTest.TIMEOUTS))
                .pollInterval(Duration.ofMillis(100)).ownsLink(true).build().start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> printer.health().reason() == HealthReason.OK);
        Map<Panel, byte[]> card = PrinterTestCard.panels(RibbonType.YMCKO);
        assertThat(card.keySet()).containsExactlyInAnyOrder(Panel.Y, Panel.M, Panel.C, Panel.K, Panel.O);
        printer.print(CardSide.FRONT, card);
        printer.eject();
        assertThat(printer.supplies().printed()).isEqualTo(1);
        assertThat(sim.printer().outputTrayCards()).isEqualTo(1);
        assertThat(PrinterTestCard.panels(RibbonType.K).keySet()).containsExactly(Panel.K);
    }
}
