package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigResult;
import cardterm.terminal.diagnose.SelfTestReport;
import cardterm.terminal.diagnose.StandaloneSelfTest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardterm selftest --config FILE}: checks a terminal on site (config, data directory,
 * readers, SAM, printer, buttons, broker with the configured credentials, clock, CJK font). Every
 * failure is listed with a hint; exit 0 only when every check passed, else 1 (2 for a missing or
 * invalid config file: the config is checked by the same code as {@code run} and {@code config check}).
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Check config, data directory, readers, SAM, printer, buttons, broker, clock and font; "
                + "every failure with a hint. Stop the service first (it holds the devices).")
public final class SelftestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, description = "The terminal's config file (YAML).")
    Path configFile;

    @Option(names = "--json", description = "Print the result as JSON (as the hub's diagnose command gives it).")
    boolean json;

    @Option(names = "--timeout", defaultValue = "15", paramLabel = "SECONDS",
            description = "Longest wait for one check (default ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(configFile)) {
            spec.commandLine().getErr().println("cardterm selftest: no config file " + configFile);
            return ExitCodes.BAD_INPUT;
        }
        if (timeoutSeconds <= 0) {
            spec.commandLine().getErr().println("cardterm selftest: --timeout must be positive");
            return ExitCodes.BAD_INPUT;
        }
        // the config is checked as run and config check check it: a config they refuse is refused here (exit 2)
        ConfigResult loaded = ConfigLoader.load(configFile, System.getenv());
        SelfTestReport report = StandaloneSelfTest.run(configFile, loaded, Clock.systemDefaultZone(),
                Duration.ofSeconds(timeoutSeconds));
        if (json) {
            out.println(report.toJson().toPrettyString());
        } else {
            report.lines().forEach(out::println);
        }
        out.flush();
        if (loaded instanceof ConfigResult.Invalid invalid) {
            PrintWriter err = spec.commandLine().getErr();
            invalid.problems().lines().forEach(l -> err.println(configFile + ": " + l));
            err.println("cardterm selftest: " + invalid.problems().size() + " problem(s) in the config");
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        return report.passed() ? 0 : ExitCodes.FAILED;
    }
}
