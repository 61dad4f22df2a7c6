package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that only groups subcommands ({@code config}, {@code card}, {@code printer}, ...):
 * called without one, it shows its usage on standard error and exits 2 (bad input).
 */
abstract class CommandGroup implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.BAD_INPUT;
    }
}
