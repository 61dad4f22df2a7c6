package cardterm.terminal.hardware;

import cardterm.devices.chip.ChipPersonalizer;
import cardterm.devices.gpio.GpioBoard;
import cardterm.devices.pcsc.PcscLibrary;
import cardterm.devices.pcsc.PcscReader;
import cardterm.devices.printer.EclPrinter;
import cardterm.devices.printer.PrinterSettings;
import cardterm.devices.printer.PrinterLink;
import cardterm.terminal.config.TerminalConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The devices of a real terminal, made from its config: PC/SC readers for the encoder and the SAM,
 * the ecl printer on its serial or TCP link, the GPIO board (gpiod on a Pi). None of this throws
 * for missing hardware: each device reports it as its health and recovers when it comes back.
 */
public final class RealDevices implements AutoCloseable {
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final TerminalDevices devices;
    private final ScheduledExecutorService scheduler;

    public RealDevices(TerminalConfig config, Clock clock) {
        this.scheduler = Executors.newScheduledThreadPool(1,
                r -> Thread.ofPlatform().daemon().name("cardterm-devices").unstarted(r));
        PcscLibrary.configure();
        PcscReader card = PcscReader.of("reader.card", config.readers().card().spec()).start();
        owned.add(card);
        PcscReader sam = PcscReader.of("reader.sam", config.readers().sam().spec()).start();
        owned.add(sam);
        SupplyRelay supplies = new SupplyRelay();
        PrinterSettings p = config.printer();
        PrinterLink link = PrinterLink.to(p.port().toString(), p.baud()).start();
        EclPrinter printer = EclPrinter.builder(link)
                .queryTimeout(p.timeouts().query()).mechanicalTimeout(p.timeouts().mechanical())
                .clock(clock)
                .pollInterval(p.pollInterval())
                .supplyListener(supplies)
                .ownsLink(true)
                .build()
                .start();
        owned.add(printer);
        GpioBoard gpio = config.gpio().board(scheduler, clock);
        owned.add(gpio);
        this.devices = new TerminalDevices(List.of(card, sam), new ChipPersonalizer(card, sam), printer, supplies, gpio);
    }

    public TerminalDevices devices() {
        return devices;
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        scheduler.shutdownNow();
    }
}
