package cardterm.terminal.cli;

import picocli.CommandLine.Command;

/**
 * {@code cardterm bench ...}: benchmarks users can run. Each compares against a raw baseline in
 * the same run and ends with one line of {@code name=value} figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, each against a raw baseline in the same run.",
        subcommands = {cardterm.terminal.bench.ApduBench.class, cardterm.terminal.bench.PrinterLinkBench.class,
            cardterm.terminal.bench.OutboxBench.class, cardterm.terminal.bench.AssistBench.class,
            cardterm.terminal.bench.IssuanceBench.class, cardterm.terminal.bench.StartupBench.class,
            cardterm.terminal.bench.ConsoleBench.class,
            cardterm.terminal.fleet.FleetBench.class, cardterm.terminal.fleet.MonitorBench.class})
public final class BenchCommand extends CommandGroup {
}
