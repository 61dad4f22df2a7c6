package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
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
 * failure is listed with a hint; exit 0 only when every check passed, else 1 (2 for a missing file).
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
        SelfTestReport report = StandaloneSelfTest.run(configFile, System.getenv(), Clock.systemDefaultZone(),
                Duration.ofSeconds(timeoutSeconds));
        if (json) {
            out.println(report.toJson().toPrettyString());
        } else {
            report.lines().forEach(out::println);
        }
        out.flush();
        return report.passed() ? 0 : ExitCodes.FAILED;
    }
}
