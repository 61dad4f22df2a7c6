package cardterm.terminal.diagnose;

import cardterm.devices.gpio.ButtonSettings;
import cardterm.devices.gpio.CallButton;
import cardterm.devices.gpio.GpioBoard;
import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.DeviceState;
import cardterm.devices.pcsc.PcscLibrary;
import cardterm.devices.pcsc.PcscReader;
import cardterm.devices.pcsc.PcscService;
import cardterm.devices.printer.EclPrinter;
import cardterm.devices.printer.PrinterException;
import cardterm.devices.printer.PrinterSettings;
import cardterm.devices.printer.PrinterLink;
import cardterm.devices.printer.PrinterState;
import cardterm.devices.printer.PrinterStatus;
import cardterm.devices.printer.Supplies;
import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigResult;
import cardterm.terminal.config.TerminalConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code cardterm selftest}: every check from the config file alone, opening the devices itself
 * (so the service should be stopped: it holds the printer port and GPIO lines). Checks: config,
 * data directory writable, readers present, SAM answering, printer status, buttons readable,
 * broker reachable with the configured credentials, clock sane, CJK font present.
 */
public final class StandaloneSelfTest {
    static final String STOP_SERVICE = " (if the service runs, it holds the device: systemctl stop cardterm first, "
            + "or use the hub's diagnose command)";

    private StandaloneSelfTest() {}

    /** Runs every check; a config that does not load fails and the checks that need it say so. */
    public static SelfTestReport run(Path configFile, Map<String, String> env, Clock clock, Duration perCheck) {
        return run(configFile, ConfigLoader.load(configFile, env), clock, perCheck);
    }

    /**
     * Runs every check on a config loaded by {@link ConfigLoader#load} (the one check {@code run}
     * and {@code config check} make too); an invalid one fails and the checks that need it say so.
     */
    public static SelfTestReport run(Path configFile, ConfigResult loaded, Clock clock, Duration perCheck) {
        if (loaded instanceof ConfigResult.Invalid invalid) {
            List<CheckResult> out = new ArrayList<>();
            List<String> lines = invalid.problems().lines();
            out.add(CheckResult.fail(Checks.CONFIG, configFile + ": " + lines.size() + " problem(s): "
                    + String.join("; ", lines), "fix every line listed (cardterm config check " + configFile + ")"));
            for (String c : List.of(Checks.DATA_DIR, Checks.READERS, Checks.SAM, Checks.PRINTER, Checks.BUTTONS,
                    Checks.BROKER)) {
                out.add(CheckResult.fail(c, "not checked: the config does not load", "fix the config first"));
            }
            out.add(Checks.clock(clock, Checks.ntpSynchronized()));
            out.add(Checks.font(Optional.empty()));
            return new SelfTestReport(out);
        }
        TerminalConfig config = ((ConfigResult.Valid) loaded).config();
        return forConfig(config, configFile.toString(), clock, perCheck).run();
    }

    /** The checks for a loaded config. */
    public static SelfTest forConfig(TerminalConfig config, String source, Clock clock, Duration perCheck) {
        SelfTest t = new SelfTest(perCheck);
        t.add(Checks.CONFIG, "", () -> CheckResult.pass(Checks.CONFIG, source + ": terminal "
                + config.terminal().site() + "/" + config.terminal().id()));
        t.add(Checks.DATA_DIR, "the data directory does not answer: a failing SD card? check dmesg",
                () -> Checks.dataDir(config.terminal().dataDir()));
        t.add(Checks.READERS, "pcscd does not answer: systemctl restart pcscd", () -> {
            PcscLibrary.configure();
            return Checks.readers(PcscService.shared(), config.readers().card(), config.readers().sam());
        });
        t.add(Checks.SAM, "the SAM does not answer: reseat it; systemctl restart pcscd" + STOP_SERVICE, () -> {
            PcscLibrary.configure();
            try (PcscReader sam = PcscReader.of("reader.sam", config.readers().sam().spec())) {
                CheckResult r = Checks.sam(sam);
                return r.passed() ? r : CheckResult.fail(r.check(), r.detail(), r.hint() + STOP_SERVICE);
            }
        });
        t.add(Checks.PRINTER, "the printer does not answer: switch it off and on; check the cable" + STOP_SERVICE,
                () -> printer(config.printer(), perCheck));
        t.add(Checks.BUTTONS, "GPIO does not answer" + STOP_SERVICE, () -> buttons(config, clock));
        t.add(Checks.BROKER, "the broker does not answer: check the network and hub.uri",
                () -> Checks.broker(config.hub(), "selftest"));
        t.add(Checks.CLOCK, "", () -> Checks.clock(clock, Checks.ntpSynchronized()));
        t.add(Checks.FONT, "", () -> Checks.font(config.issuance().cardFont()));
        return t;
    }

    static CheckResult printer(PrinterSettings p, Duration perCheck) {
        String where = p.port().toString();
        PrinterLink link = PrinterLink.to(where, p.baud());
        try (EclPrinter printer = EclPrinter.builder(link).queryTimeout(p.timeouts().query()).ownsLink(true).build()) {
            link.start();
            Duration wait = perCheck.dividedBy(2);
            if (!link.awaitUp(wait)) {
                String reason = link.downReason().orElse("not reachable");
                return Checks.printerUnreachable(where, reason + STOP_SERVICE);
            }
            PrinterStatus status = printer.status();
            Optional<Supplies> supplies = status.state() == PrinterState.BUSY ? Optional.empty()
                    : Optional.of(printer.supplies());
            return Checks.printer(status, supplies);
        } catch (PrinterException e) {
            return Checks.printerUnreachable(where, e.getMessage());
        } finally {
            link.close();
        }
    }

    static CheckResult buttons(TerminalConfig config, Clock clock) {
        AssistConfig assist = config.assist();
        if (assist.buttons().isEmpty()) {
            return CheckResult.pass(Checks.BUTTONS, "no buttons configured");
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("selftest-gpio").unstarted(r));
        GpioBoard board = config.gpio().board(scheduler, clock);
        try {
            List<String> ok = new ArrayList<>();
            List<String> bad = new ArrayList<>();
            for (AssistConfig.ButtonConfig b : assist.buttons()) {
                ButtonSettings settings = new ButtonSettings(b.wiring().pull(), b.wiring().buttonActive(),
                        assist.timing().buttonTiming());
                CallButton button = board.button(b.id(), b.wiring().buttonPin(), settings);
                DeviceHealth h = button.health();
                if (h.state() == DeviceState.OFFLINE) {
                    bad.add(b.id() + " (pin " + b.wiring().buttonPin() + "): " + h.message());
                } else {
                    ok.add(b.id() + " (pin " + b.wiring().buttonPin() + ")" + (button.held() ? " held" : ""));
                }
            }
            if (bad.isEmpty()) {
                return CheckResult.pass(Checks.BUTTONS, "readable on " + board.kind() + ": " + String.join(", ", ok));
            }
            return CheckResult.fail(Checks.BUTTONS, String.join("; ", bad),
                    "check gpio.chip (" + config.gpio().chip() + "), that the user is in group gpio, and the pins "
                            + "in buttons[]" + STOP_SERVICE);
        } finally {
            board.close();
            scheduler.shutdownNow();
        }
    }
}
