package cardterm.terminal.app;

import cardterm.terminal.hardware.SupplyRelay;
import cardterm.terminal.hardware.TerminalDevices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cardterm.devices.chip.sim.SimulatedReaderPair;
import cardterm.devices.gpio.GpioBoard;
import cardterm.devices.printer.EclPrinter;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.FontCheck;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterServer;
import cardterm.terminal.config.TerminalConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A terminal that cannot start leaves nothing running or open behind. */
class TerminalServiceStartTest {
    @Test
    void aStartThatFailsOnAnUnusableTlsFileLeavesNoThreadsBehind(@TempDir Path dir) {
        Clock clock = Clock.systemUTC();
        TerminalConfig sim = TerminalConfig.forSimulation(dir.resolve("data"), "tcp://127.0.0.1:1");
        TerminalConfig config = sim.withHub(sim.hub().toBuilder().uris(List.of("ssl://127.0.0.1:8883"))
                .tls(dir.resolve("no-such-ca.pem"), null, null).build());
        ScheduledExecutorService devicesScheduler = Executors.newSingleThreadScheduledExecutor();
        EclPrinterServer printerSim = EclPrinterServer.instant(EclPrinterModel.Settings.colour());
        try (SimulatedReaderPair readers = new SimulatedReaderPair(clock);
                GpioBoard gpio = GpioBoard.mock(devicesScheduler, clock);
                EclPrinter printer = EclPrinter.builder(printerSim.inProcessLink("printer"))
                        .ownsLink(true).build().start()) {
            TerminalDevices devices = new TerminalDevices(List.of(readers.cardReader(), readers.samReader()),
                    readers.personalizer(), printer, new SupplyRelay(), gpio);
            CardFaceRenderer renderer = CardFaceRenderer.of((FontCheck.Found) FontCheck.find(Optional.empty()),
                    CardFaceRenderer.TITLE_WENZHOU);

            assertThatThrownBy(() -> TerminalService.start(config, devices, renderer, clock, "test"))
                    .hasMessageContaining("no-such-ca.pem");

            await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .map(Thread::getName).noneMatch(n -> n.startsWith("cardterm-sched-") || n.equals("outbox-writer")));
        } finally {
            printerSim.close();
            devicesScheduler.shutdownNow();
        }
    }
}
