package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.CardFaceDevice;
import cardterm.terminal.hardware.RealDevices;
import cardterm.terminal.app.TerminalService;
import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigResult;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.systemd.SdNotify;
import cardterm.terminal.systemd.SystemdWatchdog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardterm run --config FILE}: the terminal service on real devices. The config is checked
 * first: every problem is listed, one line each, and the service does not start (exit 2). A missing
 * CJK card font does not stop it: the card face shows OFFLINE in health and jobs are refused.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the terminal service on real devices.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", required = true, description = "The terminal's config file (YAML).")
    Path configFile;

    @Override
    public Integer call() throws InterruptedException {
        ConfigResult result = ConfigLoader.load(configFile, System.getenv());
        if (result instanceof ConfigResult.Invalid invalid) {
            invalid.problems().lines().forEach(l -> System.err.println(configFile + ": " + l));
            System.err.println("cardterm run: " + invalid.problems().size() + " problem(s) in the config; not started");
            return ExitCodes.BAD_INPUT;
        }
        TerminalConfig config = ((ConfigResult.Valid) result).config();
        Logging.setRootLevel(config.logging().level());
        Clock clock = Clock.system(config.terminal().timeZone());
        // the bundled card font's file is kept in the data folder, not copied out of the jar at every start
        cardterm.devices.printer.face.CardFont.keepCopyIn(config.terminal().dataDir().resolve("fonts"));
        CardFaceDevice cardFace = CardFaceDevice.check(config.issuance().cardFont(), CardFaceRenderer.TITLE_WENZHOU,
                clock);
        cardFace.problem().ifPresent(p -> {
            System.err.println("cardterm run: card face unusable, jobs are refused until it is fixed: " + p);
            log.error("card face unusable (health cardface OFFLINE/CONFIGURATION_ERROR): {}", p);
        });
        CountDownLatch stopped = new CountDownLatch(1);
        RealDevices devices = new RealDevices(config, clock);
        TerminalService terminal;
        try {
            terminal = TerminalService.start(config, devices.devices(), cardFace, clock, Main.version());
        } catch (RuntimeException e) {
            devices.close();
            System.err.println("cardterm run: could not start: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        cardterm.terminal.console.ConsoleServer console = null;
        if (config.staff().hasMembers()) {
            try {
                console = cardterm.terminal.app.TerminalConsole.start(terminal, config.console());
            } catch (java.io.IOException e) { // the terminal works on without its console
                log.error("counter console not started on {}:{}: {}", config.console().bind(), config.console().port(),
                        e.getMessage());
            }
        } else {
            log.info("no staff registry (staff:) in the config: the counter console is not served");
        }
        final cardterm.terminal.console.ConsoleServer consoleRef = console;
        // systemd (Type=notify): ready now; the watchdog is fed while the core loops are alive
        SdNotify systemd = SdNotify.fromEnvironment();
        SystemdWatchdog watchdog = SystemdWatchdog.start(systemd, terminal.liveness());
        systemd.ready("terminal " + config.terminal().site() + "/" + config.terminal().id() + " running");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            systemd.stopping("stopping");
            watchdog.close();
            if (consoleRef != null) {
                consoleRef.close();
            }
            terminal.close();
            devices.close();
            stopped.countDown();
        }, "cardterm-shutdown"));
        stopped.await();
        return 0;
    }
}
