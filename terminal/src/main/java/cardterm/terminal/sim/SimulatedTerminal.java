package cardterm.terminal.sim;

import cardterm.devices.concurrent.ServiceThreads;

import cardterm.devices.check.Problems;
import cardterm.devices.chip.sim.SimulatedReaderPair;
import cardterm.devices.gpio.GpioBoard;
import cardterm.devices.printer.CardDestination;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.EclPrinter;
import cardterm.devices.printer.Panel;
import cardterm.devices.printer.PrinterLink;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.face.CardFaceDevice;
import cardterm.devices.printer.face.CardFacePng;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.PanelComposer;
import cardterm.terminal.hardware.SupplyRelay;
import cardterm.terminal.hardware.TerminalDevices;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterModelListener;
import cardterm.devices.printer.sim.EclPrinterServer;
import cardterm.terminal.app.TerminalService;
import cardterm.terminal.assist.CallCommandResult;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.issuance.IssuanceJob;
import cardterm.terminal.issuance.IssuanceJobParser;
import cardterm.terminal.issuance.IssuanceService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole terminal on simulated devices: a simulated reader pair with a stock of blank cards, the
 * ecl printer simulator on a loopback TCP port (so it can be unplugged and plugged again), GPIO on
 * Pi4J's mock provider, and the real terminal service on top. Printed card faces are saved as
 * PNG files under {@code workDir/cards}.
 */
public final class SimulatedTerminal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedTerminal.class);
    /** Simulated printer time: 1 = as slow as a real printer; the demo runs at 1/20. */
    public static final double DEFAULT_TIME_SCALE = 0.05;

    private final TerminalConfig config;
    private final Path workDir;
    private final PrintStream out;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final SimulatedReaderPair readers;
    private final EclPrinterServer printerSim;
    private final EclPrinter printer;
    private final GpioBoard gpio;
    private final TerminalService terminal;
    private final SupplyRelay supplies = new SupplyRelay();
    private final AtomicInteger cardsSaved = new AtomicInteger();
    private final AtomicInteger jobs = new AtomicInteger();
    private volatile EclPrinterServer.Serving printerServing;
    private final int printerPort;
    /** The printer simulator on an in-process pipe rather than a loopback TCP port (fleets). */
    private final boolean printerInProcess;

    private SimulatedTerminal(TerminalConfig config, Path workDir, PrintStream out, double timeScale, Clock clock,
            String version, boolean printerInProcess) throws IOException {
        this.printerInProcess = printerInProcess;
        this.config = config;
        this.workDir = workDir;
        this.out = out;
        this.clock = clock;
        this.scheduler = ServiceThreads.scheduler("sim-world", 1);
        try (var files = Files.list(workDir.resolve("cards"))) {
            cardsSaved.set((int) files.count()); // started again on the same directory: carry on numbering
        }
        this.readers = new SimulatedReaderPair(clock, System.currentTimeMillis() % 1_000_000);
        EclPrinterModel core = new EclPrinterModel(EclPrinterModel.Settings.colour(),
                EclPrinterModel.Timings.realistic());
        SimWorldStore.open(workDir).attach(core, readers) // a power cut left the printer as it was
                .ifPresent(w -> out.println("cardterm simulate: simulated printer as left: " + w));
        this.printerSim = new EclPrinterServer(core, timeScale);
        this.printerSim.addListener(new CardPath());
        PrinterLink link;
        if (printerInProcess) {
            this.printerPort = 0;
            link = printerSim.inProcessLink().start();
        } else {
            this.printerServing = printerSim.serveTcp(java.net.InetAddress.getLoopbackAddress(), 0);
            this.printerPort = printerServing.port();
            link = PrinterLink.to("tcp://127.0.0.1:" + printerPort, 115200).start();
        }
        this.printer = EclPrinter.builder(link)
                .clock(clock)
                .pollInterval(config.printer().pollInterval())
                .ownsLink(true)
                .supplyListener(supplies)
                .build()
                .start();
        this.gpio = GpioBoard.mock(scheduler, clock);
        CardFaceDevice cardFace = CardFaceDevice.check(config.issuance().cardFont(), CardFaceRenderer.TITLE_WENZHOU,
                clock);
        cardFace.problem().ifPresent(p -> out.println("cardterm simulate: card face unusable, jobs are refused: " + p));
        TerminalDevices devices = new TerminalDevices(List.of(readers.cardReader(), readers.samReader()),
                readers.personalizer(), printer, supplies, gpio);
        this.terminal = TerminalService.start(config, devices, cardFace, clock, version);
        terminal.issuance().addOutcomeListener(this::jobEnded);
    }

    /** Starts the simulated terminal (without a CJK font it starts too: cardface OFFLINE, jobs refused). */
    public static SimulatedTerminal start(TerminalConfig config, Path workDir, PrintStream out, double timeScale,
            Clock clock, String version) throws IOException {
        return start(config, workDir, out, timeScale, clock, version, false);
    }

    /**
     * {@link #start(TerminalConfig, Path, PrintStream, double, Clock, String)}, with the printer
     * simulator reached through an in-process pipe when {@code printerInProcess} (no socket: a
     * fleet of thousands in one JVM would run out of file descriptors); {@code simulate} uses TCP,
     * the path a real networked printer takes.
     */
    public static SimulatedTerminal start(TerminalConfig config, Path workDir, PrintStream out, double timeScale,
            Clock clock, String version, boolean printerInProcess) throws IOException {
        Files.createDirectories(workDir.resolve("cards"));
        return new SimulatedTerminal(config, workDir, out, timeScale, clock, version, printerInProcess);
    }

    public TerminalService terminal() {
        return terminal;
    }

    public EclPrinterServer printerSimulator() {
        return printerSim;
    }

    public SimulatedReaderPair readers() {
        return readers;
    }

    public GpioBoard gpio() {
        return gpio;
    }

    public int cardsSaved() {
        return cardsSaved.get();
    }

    /** Presses and releases a call button (pressed for 200 ms). */
    public void press(String buttonId) {
        hold(buttonId, 0.2);
    }

    /** Holds a call button down for {@code seconds}. */
    public void hold(String buttonId, double seconds) {
        gpio.mockPins().press(buttonId);
        scheduler.schedule(() -> gpio.mockPins().release(buttonId), (long) (seconds * 1000), TimeUnit.MILLISECONDS);
    }

    /** Submits a demo job for a citizen of {@code age}; the problems if it was refused. */
    public Optional<String> issue(int age, boolean optOut, String staffId) {
        int n = jobs.incrementAndGet();
        LocalDate today = LocalDate.now(clock.withZone(config.terminal().timeZone()));
        String jobId = "J-" + today.format(DateTimeFormatter.BASIC_ISO_DATE) + "-"
                + String.format("%04d", (int) (clock.millis() / 1000 % 10_000)) + n;
        Problems p = new Problems();
        Optional<IssuanceJob> job = IssuanceJobParser.parse(DemoJobs.job(jobId, staffId, age, optOut, today, n), p);
        if (job.isEmpty()) {
            return Optional.of(p.toString());
        }
        return terminal.issuance().submit(job.get()).map(r -> r.code() + ": " + r.message()
                + (r.problems().isEmpty() ? "" : " " + r.problems()));
    }

    public CallCommandResult ack(String callId, String staffId) {
        return staffAction("assist.call.ack", callId, staffId, terminal.assist().ack(callId, staffId));
    }

    public CallCommandResult resolve(String callId, String staffId) {
        return staffAction("assist.call.resolve", callId, staffId, terminal.assist().resolve(callId, staffId));
    }

    /** A staff action at the console goes to the audit log under the staff id, like the hub's commands. */
    private CallCommandResult staffAction(String action, String callId, String staffId, CallCommandResult r) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode d =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            d.put("ok", r.ok());
            d.put("code", r.code().name());
            d.put("via", "console");
            terminal.audit().record(staffId, action, callId, d);
        } catch (RuntimeException e) {
            log.debug("console action not audited: {}", e.getMessage());
        }
        return r;
    }

    public synchronized void unplugPrinter() {
        if (printerServing != null) {
            printerServing.close();
            printerServing = null;
        }
    }

    public synchronized void plugPrinter() throws IOException {
        if (printerServing == null && !printerInProcess) {
            printerServing = printerSim.serveTcp(java.net.InetAddress.getLoopbackAddress(), printerPort);
        }
    }

    private void jobEnded(IssuanceService.Outcome o) {
        out.println(o.completed()
                ? "  job " + o.jobId() + " completed: card handed out"
                : "  job " + o.jobId() + " failed: " + o.code() + (o.cardRejected() ? " (card rejected)" : "")
                        + (o.recordsWritten().isEmpty() ? "" : ", records written " + o.recordsWritten()));
    }

    /** Follows the card through the simulated printer: chip reachable in the station, faces saved. */
    private final class CardPath implements EclPrinterModelListener {
        @Override
        public void cardEnteredStation() {
            try {
                readers.insertBlankCard();
            } catch (RuntimeException e) {
                log.warn("simulated encoder: {}", e.getMessage());
            }
        }

        @Override
        public void cardLeftStation(CardDestination destination) {
            readers.removeCard();
        }

        @Override
        public void sidePrinted(CardSide side, RibbonType ribbon, Map<Panel, byte[]> panels) {
            int n = cardsSaved.incrementAndGet();
            Path file = workDir.resolve("cards").resolve(String.format("card-%04d-%s.png", n, side.code()));
            try {
                CardFacePng.write(PanelComposer.compose(panels), file);
                out.println("  printed card face saved: " + file);
            } catch (IOException | RuntimeException e) {
                log.warn("could not save the printed face: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        terminal.close();
        printer.close();
        unplugPrinter();
        printerSim.close();
        gpio.close();
        readers.close();
        scheduler.shutdownNow();
    }
}
