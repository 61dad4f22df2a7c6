package cardterm.terminal.cli;

import picocli.CommandLine.Command;

/** {@code cardterm fleet ...}: many terminals at once. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Many terminals at once: a simulated fleet on one hub.",
        subcommands = {cardterm.terminal.fleet.FleetSimulateCommand.class})
public final class FleetCommand extends CommandGroup {
}
