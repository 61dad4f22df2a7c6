package cardterm.devices.printer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.bridge.ecl.EclCommand;
import cardterm.bridge.ecl.EclResponse;
import cardterm.bridge.ecl.EclResponseDecoder;
import cardterm.bridge.testing.SocatPty;
import cardterm.bridge.transport.SerialTransport;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The foundation slice: the serial transport opens one end of a socat pty pair and gets an answer
 * to {@code Rfv} from the printer simulator on the other end.
 */
class PrinterSliceTest {

    @Test
    void serialTransportGetsRfvAnswerFromTheSimulatorOverASocatPty() throws Exception {
        try (SocatPty pty = SocatPty.start();
             EclPrinterServer sim = EclPrinterServer.startOnPath(pty.devicePath(), EclPrinterModel.Settings.colour(), 0);
             SerialTransport host = SerialTransport.open(pty.hostPath())) {
            await().atMost(Duration.ofSeconds(10)).until(sim::isConnected);

            host.write(EclCommand.RFV.encode());

            List<EclResponse> answers = new ArrayList<>();
            EclResponseDecoder decoder = new EclResponseDecoder();
            EclResponseDecoder.Sink sink = new EclResponseDecoder.Sink() {
                @Override
                public void response(EclResponse r) {
                    answers.add(r);
                }

                @Override
                public void garbage(String reason, int bytes) {
                    answers.add(new EclResponse.Data("garbage: " + reason));
                }
            };
            byte[] buf = new byte[256];
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                int n = host.read(buf, 0, buf.length, Duration.ofMillis(100));
                decoder.feed(buf, 0, n, sink);
                return !answers.isEmpty();
            });
            assertThat(answers).containsExactly(new EclResponse.Data("ecl-sim 1.0"));
        }
    }
}
