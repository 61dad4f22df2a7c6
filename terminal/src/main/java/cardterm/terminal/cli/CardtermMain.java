package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cardterm} command. */
@Command(
        name = "cardterm",
        mixinStandardHelpOptions = true,
        versionProvider = CardtermMain.Version.class,
        description = "Counter terminal controller for on-site citizen card issuance.",
        subcommands = {
            SimulateCommand.class,
            FleetCommand.class,
            RunCommand.class,
            ConfigCommand.class,
            CardCommand.class,
            PrinterCommand.class,
            BenchCommand.class,
            SelftestCommand.class,
            MonitorCommand.class,
            AuditCommand.class,
            StaffCommand.class,
            cardterm.terminal.aot.AotCacheCommand.class,
            cardterm.terminal.provision.ProvisionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CardtermMain implements Runnable {
    /** Exit code for a failure of the job itself (a device error, a check that failed). */
    public static final int EXIT_FAILED = ExitCodes.FAILED;
    /** Exit code for bad input: a bad config file, bad arguments, a bad job file. */
    public static final int EXIT_BAD_INPUT = ExitCodes.BAD_INPUT;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // the service's start skips building the model of every command (see RunFastPath)
        java.util.Optional<java.nio.file.Path> runConfig = RunFastPath.configOf(args);
        System.exit(runConfig.isPresent() ? RunFastPath.run(runConfig.get()) : execute(args));
    }

    /** Runs the command line and returns its exit code; never throws. */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    /**
     * Runs the command line with {@code console} in place of standard input (what {@code simulate
     * --scenario none} reads): for callers in the same JVM, whose standard input is not theirs.
     */
    public static int execute(java.io.InputStream console, String... args) {
        return newCommandLine(console).execute(args);
    }

    public static CommandLine newCommandLine() {
        return newCommandLine(System.in);
    }

    static CommandLine newCommandLine(java.io.InputStream console) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                if (type == StaffCommand.Add.class) {
                    return (K) new StaffCommand.Add(console);
                }
                return type == SimulateCommand.class ? (K) new SimulateCommand(console) : defaults.create(type);
            }
        };
        CommandLine cl = new CommandLine(new CardtermMain(), factory);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // Unexpected: one clear line, not a stack trace. The stack goes to the log at DEBUG.
            org.slf4j.LoggerFactory.getLogger(CardtermMain.class).debug("command failed", ex);
            commandLine.getErr().println("cardterm: " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
            return EXIT_FAILED;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("cardterm: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    /** Version from the jar manifest, or "dev". */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cardterm " + version()};
        }

        public static String version() {
            String v = CardtermMain.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }
    }
}
