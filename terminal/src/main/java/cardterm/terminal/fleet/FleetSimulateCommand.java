package cardterm.terminal.fleet;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardterm fleet simulate --terminals N --hub URI}: N whole simulated terminals in one JVM
 * ({@link FleetSimulator}), each {@code site-NN/t-NNNN} with its own data directory, outbox,
 * devices and hub link, with scripted activity; prints the heap per terminal and, every so often,
 * how many are connected and what waits in their outboxes.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run N simulated terminals in one JVM on a hub, with scripted calls, jobs and faults.",
            "Watch them with: cardterm monitor --broker URI"})
public final class FleetSimulateCommand implements Callable<Integer> {
    @Option(names = "--terminals", required = true, description = "How many terminals.")
    int terminals;

    @Option(names = "--hub", required = true, paramLabel = "URI[,URI...]",
            description = "The broker, tcp://HOST:PORT; or a cluster's nodes separated by commas (each terminal gets them all).")
    String hub;

    @Option(names = "--work-dir", description = "Where each terminal's data goes (SITE/ID under it; default: a new "
            + "temporary directory). Started again on it, the terminals carry on.")
    Path workDir;

    @Option(names = "--sites", defaultValue = "10", description = "Sites the terminals are spread over (default ${DEFAULT-VALUE}).")
    int sites;

    @Option(names = "--activity", defaultValue = "1", paramLabel = "PER_MIN",
            description = "Actions per terminal per minute: calls, jobs, faults (default ${DEFAULT-VALUE}).")
    double activity;

    @Option(names = "--faults", defaultValue = "0.1", paramLabel = "SHARE",
            description = "Share of the actions that are faults: empty hopper, jam, open cover (default ${DEFAULT-VALUE}).")
    double faults;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this long (default: until Ctrl-C).")
    Double duration;

    @Override
    public Integer call() throws Exception {
        try (AutoCloseable virtualThreads = FleetSimulator.useVirtualThreads()) {
            return run();
        }
    }

    private Integer run() throws Exception {
        PrintStream out = System.out;
        // every problem in one answer
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (terminals < 1 || terminals > 100_000) {
            problems.add("--terminals must be 1..100000");
        }
        if (sites < 1 || sites > 99) {
            problems.add("--sites must be 1..99");
        }
        if (activity < 0 || faults < 0 || faults > 1) {
            problems.add("--activity must be at least 0 and --faults 0..1");
        }
        if (duration != null && !(duration > 0)) {
            problems.add("--duration must be above 0 seconds");
        }
        for (String uri : hub.split(",", -1)) {
            String p = cardterm.terminal.hub.HubSettings.uriProblem(uri.strip());
            if (p != null) {
                problems.add("--hub " + uri.strip() + ": " + p);
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("cardterm fleet simulate: " + p));
            return 2;
        }
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("cardterm-fleet-");
        out.println("cardterm fleet simulate: " + terminals + " terminals over " + sites + " sites on " + hub
                + ", data under " + dir.toAbsolutePath());
        FleetSimulator.Options o = FleetSimulator.Options.of(terminals, hub, dir).withSites(sites)
                .withActivity(activity, faults);
        FleetSimulator fleet;
        try {
            fleet = FleetSimulator.start(o, cardterm.terminal.fleet.FleetSimulateCommand.class.getPackage()
                    .getImplementationVersion() == null ? "dev" : FleetSimulateCommand.class.getPackage()
                    .getImplementationVersion(), out);
        } catch (IllegalStateException e) {
            System.err.println("cardterm fleet simulate: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "cardterm fleet simulate: running; heap %.2f MB per terminal (after GC / N)%n",
                fleet.heapMbPerTerminal());
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            fleet.close();
        }, "fleet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + (long) (duration * 1e9);
            while (System.nanoTime() < end) {
                long wait = Math.min(Duration.ofSeconds(10).toNanos(), end - System.nanoTime());
                if (stop.await(Math.max(1, wait), TimeUnit.NANOSECONDS)) {
                    break;
                }
                out.printf(Locale.ROOT, "  %d of %d connected, %d events waiting, %d actions (%d faults)%n",
                        fleet.connected(), terminals, fleet.backlog(), fleet.actions(), fleet.faults());
            }
        } finally {
            fleet.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        return 0;
    }
}
