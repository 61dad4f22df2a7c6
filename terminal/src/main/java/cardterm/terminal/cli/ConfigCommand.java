package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import cardterm.devices.check.Problems;
import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigLoader.FileChecks;
import cardterm.terminal.config.ConfigResult;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cardterm config ...}: work with the terminal's configuration file. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check a configuration file.",
        subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand extends CommandGroup {


    /**
     * {@code cardterm config check FILE}: prints {@code OK: FILE} (exit 0), or every problem on
     * its own line {@code FILE: key.path: message} to stderr (exit 2).
     */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check a configuration file, with the CARDTERM_* environment variables laid over it.",
                "Prints OK: FILE (exit 0), or every problem, one per line (exit 2)."})
    public static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The configuration file (terminal.yaml).")
        String file;

        @Option(names = "--no-files",
                description = "Do not check that referenced files (keys, certificates, fonts) exist.")
        boolean noFiles;

        @Option(names = "--no-env", description = "Ignore CARDTERM_* environment variables.")
        boolean noEnv;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ConfigResult result;
            try {
                Path path = Path.of(file);
                Map<String, String> env = noEnv ? Map.of() : System.getenv();
                result = ConfigLoader.load(path, env, noFiles ? FileChecks.SKIP : FileChecks.CHECK);
            } catch (InvalidPathException e) {
                result = new ConfigResult.Invalid(new Problems().add("", "not a file path"));
            }
            if (result.isValid()) {
                out.println("OK: " + file);
                if (!noFiles && result instanceof ConfigResult.Valid valid) {
                    cardterm.devices.printer.face.FontCheck font =
                            cardterm.devices.printer.face.FontCheck.find(valid.config().issuance().cardFont());
                    if (font instanceof cardterm.devices.printer.face.FontCheck.Missing missing) {
                        out.println("note: card face: " + missing.message()
                                + " (the terminal starts; cardface is OFFLINE and jobs are refused until it is fixed)");
                    }
                    UnitWritePaths.note(valid.config().terminal().dataDir()).ifPresent(out::println);
                }
                out.flush();
                return 0;
            }
            for (String line : result.problems().lines()) {
                err.println(file + ": " + line);
            }
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
    }
}
