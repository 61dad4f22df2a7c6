package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import cardterm.terminal.assist.CallCommandResult;
import cardterm.terminal.assist.CallSnapshot;
import cardterm.terminal.config.SecretFile;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.event.SafeText;
import cardterm.terminal.sim.ConsoleLines;
import cardterm.terminal.sim.ConsoleWatcher;
import cardterm.terminal.sim.EmbeddedBroker;
import cardterm.terminal.sim.SimCommand;
import cardterm.terminal.sim.SimulatedTerminal;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardterm simulate}: the whole terminal on simulated devices, on an embedded broker (or
 * {@code --hub}), with a demo scenario or driven from standard input ({@code --scenario none}).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run the whole terminal with simulated devices and an embedded MQTT broker.",
            "Watch it with: mosquitto_sub -h 127.0.0.1 -v -t 'cardterm/v1/#'"})
public final class SimulateCommand implements java.util.concurrent.Callable<Integer> {
    /** The demo staff: post A, and the supervisor, of the simulation config. */
    static final String DEMO_STAFF = "S1001";

    public enum Scenario { demo, none }

    @Option(names = "--broker-port", defaultValue = "1883", description = "Port of the embedded broker (default ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--hub", description = "Use this external broker (tcp://HOST:PORT) instead of the embedded one.")
    String hub;

    @Option(names = "--work-dir", description = "Database and card images; started again on it, the terminal carries on (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--scenario", defaultValue = "demo", description = "demo (runs by itself) or none (read commands from standard input). Default ${DEFAULT-VALUE}.")
    Scenario scenario;

    @Option(names = "--duration", description = "Stop after this many seconds, even if standard input ends first (default: run until Ctrl-C, quit or end of input).")
    Double durationSeconds;

    @Option(names = "--time-scale", defaultValue = "0.05", description = "Printer simulator time, 1 = a real printer's (default ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--command-key", description = "File holding the HMAC key signed hub commands must carry (default: a key generated in the work dir).")
    Path commandKey;

    @Option(names = "--console-port", defaultValue = "8080", description = "Port of the counter console on 127.0.0.1 (default ${DEFAULT-VALUE}; 0: any free port).")
    int consolePort;

    /** Where {@code --scenario none} reads its lines: standard input, or what the caller gives. */
    private final InputStream console;

    public SimulateCommand() {
        this(System.in);
    }

    /** A simulate command whose console lines come from {@code console} (tests, embedding). */
    public SimulateCommand(InputStream console) {
        this.console = java.util.Objects.requireNonNull(console, "console");
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (durationSeconds != null && !(durationSeconds > 0)) {
            System.err.println("cardterm simulate: --duration must be above 0 seconds");
            return ExitCodes.BAD_INPUT;
        }
        if (commandKey != null && !Files.isReadable(commandKey)) {
            System.err.println("cardterm simulate: --command-key " + commandKey + ": no readable file there");
            return ExitCodes.BAD_INPUT;
        }
        if (commandKey != null) {
            // the rule of config check for hub.commandKeyFile: owner only, UTF-8; every problem at once
            SecretFile.Read read = SecretFile.read(commandKey);
            if (!read.ok()) {
                read.problems().forEach(p -> System.err.println("cardterm simulate: --command-key: " + p));
                return ExitCodes.BAD_INPUT;
            }
        }
        Path dir = workDir != null ? workDir : Files.createTempDirectory("cardterm-sim-");
        Files.createDirectories(dir);
        out.println("cardterm simulate: work directory " + dir.toAbsolutePath());

        EmbeddedBroker broker = null;
        String hubUri = hub;
        if (hubUri == null) {
            try {
                broker = EmbeddedBroker.start("127.0.0.1", brokerPort);
            } catch (EmbeddedBroker.BrokerStartException e) {
                System.err.println("cardterm simulate: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            hubUri = broker.uri();
            out.println("cardterm simulate: embedded MQTT broker on " + hubUri);
        } else {
            out.println("cardterm simulate: using the broker at " + hubUri);
        }
        TerminalConfig config = TerminalConfig.forSimulation(dir.resolve("data"), hubUri);
        if (commandKey != null) {
            config = config.withHub(config.hub().toBuilder().commandKeyFile(commandKey).build());
        }
        String root = "cardterm/v1/" + config.terminal().site() + "/" + config.terminal().id();
        out.println("cardterm simulate: terminal " + config.terminal().id() + " at site " + config.terminal().site()
                + "; watch it with: mosquitto_sub -h 127.0.0.1 -p " + hubUri.replaceFirst(".*:", "")
                + " -v -t '" + root + "/#'");

        ConsoleWatcher watcher = null;
        SimulatedTerminal sim = null;
        cardterm.terminal.console.ConsoleServer consoleServer = null;
        ScheduledExecutorService scenarioTimer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("sim-scenario").unstarted(r));
        CountDownLatch stop = new CountDownLatch(1);
        final SimulatedTerminal[] holder = new SimulatedTerminal[1];
        final EmbeddedBroker brokerRef = broker;
        Thread hook = new Thread(() -> {
            stop.countDown();
            shutdown(holder[0], brokerRef, out);
        }, "cardterm-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            watcher = ConsoleWatcher.start(hubUri, root, out);
            sim = SimulatedTerminal.start(config, dir, out, timeScale, Clock.system(config.terminal().timeZone()),
                    CardtermMain.Version.version());
            holder[0] = sim;
            consoleServer = startConsole(sim, out);
            out.println("cardterm simulate: running; buttons call-1 (wheelchair counter) and call-2 (waiting seats); "
                    + (scenario == Scenario.demo ? "demo scenario starts now" : "type help for commands")
                    + "; Ctrl-C stops");
            if (scenario == Scenario.demo) {
                demo(sim, scenarioTimer, out);
            } else {
                SimulatedTerminal s = sim;
                boolean endOfInputStops = durationSeconds == null; // with --duration, the duration decides
                Thread.ofPlatform().daemon().name("sim-console").start(() -> {
                    boolean quit = readCommands(s, console, out);
                    if (quit || endOfInputStops) {
                        stop.countDown();
                    }
                });
            }
            if (durationSeconds != null) {
                stop.await((long) (durationSeconds * 1000), TimeUnit.MILLISECONDS);
            } else {
                stop.await();
            }
        } catch (IllegalStateException e) {
            System.err.println("cardterm simulate: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            scenarioTimer.shutdownNow();
            if (consoleServer != null) {
                consoleServer.close();
            }
            shutdown(holder[0], broker, out);
            if (watcher != null) {
                watcher.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return 0;
    }

    /**
     * The counter console of the simulation on 127.0.0.1:{@code --console-port}; its staff (PIN 1234,
     * simulation only) are those of {@link TerminalConfig#forSimulation}. A port in use is told, and
     * the simulation runs on without its console.
     */
    private cardterm.terminal.console.ConsoleServer startConsole(SimulatedTerminal sim, PrintStream out) {
        try {
            cardterm.terminal.console.ConsoleServer c = cardterm.terminal.app.TerminalConsole.start(sim.terminal(),
                    sim.terminal().config().console().withPort(consolePort));
            out.println("console: " + c.uri() + "  (staff S1001, S1002, S2001, S9001, T0001; PIN 1234, simulation only)");
            return c;
        } catch (java.io.IOException e) {
            out.println("console: not started (" + e.getMessage() + "); try --console-port 0");
            return null;
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean shutDown = new java.util.concurrent.atomic.AtomicBoolean();

    /** Stops the simulation once, whether Ctrl-C, the end of --duration or the end of input comes first. */
    private void shutdown(SimulatedTerminal sim, EmbeddedBroker broker, PrintStream out) {
        if (sim == null && broker == null || !shutDown.compareAndSet(false, true)) {
            return;
        }
        out.println("cardterm simulate: stopping (state goes offline)");
        if (sim != null) {
            sim.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** The demo: a call raised, acknowledged and resolved, and one card issued, within 10 s of start. */
    private static void demo(SimulatedTerminal sim, ScheduledExecutorService t, PrintStream out) {
        t.schedule(() -> {
            out.println("  demo: a citizen presses call-1 at the wheelchair counter");
            sim.press("call-1");
        }, 1000, TimeUnit.MILLISECONDS);
        t.schedule(() -> {
            out.println("  demo: staff " + DEMO_STAFF + " issues a card for a citizen aged 65");
            sim.issue(65, false, DEMO_STAFF).ifPresent(p -> out.println("  demo: job refused: " + p));
        }, 1500, TimeUnit.MILLISECONDS);
        t.schedule(() -> firstOpenCall(sim).ifPresent(c -> {
            out.println("  demo: " + DEMO_STAFF + " acknowledges " + c.callId());
            report(out, sim.ack(c.callId(), DEMO_STAFF));
        }), 3000, TimeUnit.MILLISECONDS);
        t.schedule(() -> firstOpenCall(sim).ifPresent(c -> {
            out.println("  demo: " + DEMO_STAFF + " resolves " + c.callId());
            report(out, sim.resolve(c.callId(), DEMO_STAFF));
        }), 5000, TimeUnit.MILLISECONDS);
    }

    private static Optional<CallSnapshot> firstOpenCall(SimulatedTerminal sim) {
        List<CallSnapshot> open = sim.terminal().assist().openCalls();
        return open.isEmpty() ? Optional.empty() : Optional.of(open.get(0));
    }

    private static void report(PrintStream out, CallCommandResult r) {
        if (!r.ok()) {
            out.println("  -> " + r.code() + ": " + r.message());
        }
    }

    /** Reads and carries out console lines; true when {@code quit} was typed, false at end of input. */
    private static boolean readCommands(SimulatedTerminal sim, InputStream console, PrintStream out) {
        ConsoleLines in = new ConsoleLines(console); // bounded: a 10 MB line costs no more than a short one
        while (true) {
            ConsoleLines.Line line;
            try {
                line = in.next();
            } catch (java.io.IOException e) {
                return false;
            }
            if (line == null) {
                return false;
            }
            if (line.cut()) {
                out.println("  ? a line of " + line.length() + " characters ignored (a command has at most "
                        + ConsoleLines.MAX_CHARS + "); it began '" + SafeText.of(line.text(), 40) + "'");
                continue;
            }
            SimCommand c = SimCommand.parse(line.text());
            if (c instanceof SimCommand.Quit) {
                return true;
            }
            try {
                execute(sim, c, out);
            } catch (RuntimeException | java.io.IOException e) {
                out.println("  ! " + SafeText.of(e.getMessage(), 300));
            }
        }
    }

    /** Carries out one console command on the simulated world. */
    public static void execute(SimulatedTerminal sim, SimCommand c, PrintStream out) throws java.io.IOException {
        var printer = sim.printerSimulator().printer();
        switch (c) {
            case SimCommand.Press p -> sim.press(p.button());
            case SimCommand.Hold h -> sim.hold(h.button(), h.seconds());
            case SimCommand.Ack a -> callResult(out, sim.ack(a.callId(), a.staffId()));
            case SimCommand.Resolve r -> callResult(out, sim.resolve(r.callId(), r.staffId()));
            case SimCommand.Issue i -> sim.issue(i.age(), i.optOut(), DEMO_STAFF)
                    .ifPresentOrElse(p -> out.println("  refused: " + SafeText.of(p, 1000)), () -> out.println("  job accepted"));
            case SimCommand.Cover cv -> {
                if (cv.open()) {
                    printer.openCover();
                } else {
                    printer.closeCover();
                }
            }
            case SimCommand.Jam j -> printer.jamOnNextPrint(false);
            case SimCommand.Feeder f -> printer.setFeederCards(f.cards());
            case SimCommand.Ribbon r -> printer.loadRibbon(cardterm.devices.printer.RibbonType.YMCKO, r.prints());
            case SimCommand.Empty e -> {
                if (e.what().equals("tray")) {
                    printer.emptyOutputTray();
                } else {
                    printer.emptyRejectBox();
                }
            }
            case SimCommand.Yank y -> {
                if (y.what().equals("printer")) {
                    sim.unplugPrinter();
                } else {
                    sim.readers().removeCard();
                }
            }
            case SimCommand.Unplug u -> {
                if (u.what().equals("printer")) {
                    sim.unplugPrinter();
                } else {
                    sim.readers().cardReader().setUnplugged(true);
                }
            }
            case SimCommand.Plug p -> {
                if (p.what().equals("printer")) {
                    sim.plugPrinter();
                } else {
                    sim.readers().cardReader().setUnplugged(false);
                }
            }
            case SimCommand.Status s -> status(sim, out);
            case SimCommand.Help h -> SimCommand.HELP.forEach(l -> out.println("  " + l));
            case SimCommand.Invalid inv -> out.println("  ? " + SafeText.of(inv.message(), 300));
            case SimCommand.Nothing n -> { }
            case SimCommand.Quit q -> { }
        }
    }

    private static void callResult(PrintStream out, CallCommandResult r) {
        out.println(r.ok() ? "  ok" : "  " + r.code() + ": " + SafeText.of(r.message(), 300));
    }

    private static void status(SimulatedTerminal sim, PrintStream out) {
        sim.terminal().health().devices().forEach((id, h) -> out.println("  " + id + ": " + h));
        sim.terminal().assist().openCalls().forEach(c -> out.println("  call " + c.callId() + " at " + c.buttonId()
                + ": " + c.state() + (c.owner() == null ? "" : " owner " + c.owner())));
        out.println("  jobs queued: " + sim.terminal().issuance().queued()
                + sim.terminal().issuance().runningJob().map(j -> ", running " + j).orElse("")
                + "; cards saved: " + sim.cardsSaved() + "; outbox backlog: "
                + sim.terminal().outbox().backlog().count());
        out.println("  simulated printer: " + cardterm.terminal.sim.SimWorldStore.describe(
                sim.printerSimulator().printer().state(), sim.readers().state()));
    }
}
