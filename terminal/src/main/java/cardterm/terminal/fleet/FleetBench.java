package cardterm.terminal.fleet;

import cardterm.terminal.bench.BenchSupport;
import cardterm.terminal.bench.OutboxBench;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cardterm bench fleet}: a fleet of simulated terminals on one broker (a mosquitto of its
 * own on a free port, or {@code --hub}), and what a hub sees of it: all online; the broker
 * restarted (back online, the peak of new connections per second at the broker, nothing lost); a
 * broker outage with activity going on, then every backlog draining in order; and the outbox drain
 * against raw Paho QoS 1 in the same run. Ends with one line:
 * {@code terminals=.. online_after_restart_s=.. peak_connects_per_s=.. lost=.. drain_s=..
 * drain_ratio=.. mb_per_terminal=..}.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "A fleet of simulated terminals on one broker: restart, outage and drain figures.")
public final class FleetBench implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--terminals", defaultValue = "2000", description = "Terminals (default ${DEFAULT-VALUE}).")
    int terminals;

    @Option(names = "--hub", paramLabel = "URI[,URI...]", description = "An external broker, or a cluster's nodes "
            + "separated by commas (each terminal gets them all, starting at its own; restart and outage need "
            + "--broker-stop and --broker-start); default: a mosquitto of the bench's own on a free port.")
    String hub;

    @Option(names = "--broker-stop", paramLabel = "CMD", description = "With --hub: shell command that stops the broker.")
    String brokerStop;

    @Option(names = "--broker-start", paramLabel = "CMD", description = "With --hub: shell command that starts it again.")
    String brokerStart;

    @Option(names = "--outage", defaultValue = "600", paramLabel = "SECONDS",
            description = "Length of the broker outage (default ${DEFAULT-VALUE} s).")
    int outageSeconds;

    @Option(names = "--sites", defaultValue = "20", description = "Sites (default ${DEFAULT-VALUE}).")
    int sites;

    @Option(names = "--activity", defaultValue = "2", paramLabel = "PER_MIN",
            description = "Actions (calls, jobs, faults) per terminal per minute (default ${DEFAULT-VALUE}).")
    double activity;

    @Option(names = "--drain-events", defaultValue = "100000",
            description = "Events in each drain-ratio round (default ${DEFAULT-VALUE}).")
    int drainEvents;

    @Option(names = "--drain-rounds", defaultValue = "3", description = "Drain-ratio rounds (default ${DEFAULT-VALUE}).")
    int drainRounds;

    @Option(names = "--work-dir", description = "Where the terminals' data goes (default: a temporary directory, removed).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        try (AutoCloseable virtualThreads = FleetSimulator.useVirtualThreads()) {
            return run();
        }
    }

    private Integer run() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (terminals < 1 || outageSeconds < 1 || sites < 1 || activity < 0 || drainRounds < 1 || drainEvents < 100) {
            err.println("cardterm bench fleet: --terminals, --outage, --sites, --drain-rounds at least 1, "
                    + "--activity at least 0, --drain-events at least 100");
            return 2;
        }
        if (hub != null && (brokerStop == null) != (brokerStart == null)) {
            err.println("cardterm bench fleet: give --broker-stop and --broker-start together");
            return 2;
        }
        boolean temporary = workDir == null;
        Path base = temporary ? Files.createTempDirectory("cardterm-fleet-") : Files.createDirectories(workDir);
        LocalMosquitto own = null;
        try {
            Broker broker;
            if (hub == null) {
                own = LocalMosquitto.start(base.resolve("broker"));
                LocalMosquitto m = own;
                broker = new Broker(m.uri(), m::stop, m::start);
                out.println("fleet: mosquitto on " + m.uri() + " (persistent, max_connections -1)");
            } else if (brokerStop != null) {
                broker = new Broker(hub, () -> shell(brokerStop), () -> shell(brokerStart));
            } else {
                broker = new Broker(hub, null, null);
            }
            out.flush();
            return run(broker, base, out);
        } finally {
            if (own != null) {
                own.close();
            }
            if (temporary) {
                BenchSupport.deleteQuietly(base);
            }
        }
    }

    interface Step {
        void run() throws Exception;
    }

    record Broker(String uri, Step stop, Step start) {
        boolean restartable() {
            return stop != null;
        }
    }

    private int run(Broker broker, Path base, PrintWriter out) throws Exception {
        PrintStream progress = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
                if (b == '\n') {
                    out.flush();
                }
            }
        }, true);
        try (FleetSubscriber sub = FleetSubscriber.start(broker.uri())) {
            FleetSimulator.Options o = FleetSimulator.Options.of(terminals, broker.uri(), base.resolve("fleet"))
                    .withSites(sites).withActivity(activity, 0.1);
            long t0 = System.nanoTime();
            try (FleetSimulator fleet = FleetSimulator.start(o, "bench", progress)) {
                out.printf(Locale.ROOT, "fleet: %d terminals started in %.0f s, heap %.2f MB per terminal%n",
                        terminals, secondsSince(t0), fleet.heapMbPerTerminal());
                out.flush();
                double online = waitOnline(sub, fleet, t0, Duration.ofMinutes(10));
                out.printf(Locale.ROOT, "fleet: all %d online (seen by the subscriber) %.1f s after the start%n",
                        terminals, online);
                out.flush();

                String restartS = "na";
                String peak = "na";
                String drainS = "na";
                if (broker.restartable()) {
                    // a restart: stop, start at once
                    broker.stop().run();
                    long up = System.nanoTime();
                    broker.start().run();
                    up = System.nanoTime();
                    double back = waitOnline(sub, fleet, up, Duration.ofMinutes(5));
                    long p = sub.peakOnlinePerSecond(up);
                    out.printf(Locale.ROOT, "restart: all %d back online %.1f s after the broker; peak %d new "
                            + "connections per second%n", terminals, back, p);
                    out.flush();
                    restartS = String.format(Locale.ROOT, "%.1f", back);
                    peak = Long.toString(p);

                    // an outage with activity going on
                    broker.stop().run();
                    out.printf(Locale.ROOT, "outage: broker down for %d s, activity goes on...%n", outageSeconds);
                    out.flush();
                    Thread.sleep(TimeUnit.SECONDS.toMillis(outageSeconds));
                    long backlog = fleet.backlog();
                    long[] target = new long[terminals];
                    for (int i = 0; i < terminals; i++) {
                        target[i] = fleet.members().get(i).sim().terminal().outbox().lastSeq();
                    }
                    long received0 = sub.events();
                    broker.start().run();
                    long upAgain = System.nanoTime();
                    boolean drained = waitFor(() -> allSeen(sub, fleet, target), Duration.ofMinutes(30));
                    double drain = secondsSince(upAgain);
                    long received = sub.events() - received0;
                    out.printf(Locale.ROOT, "outage: %d events waited; %s in %.1f s after the broker came back, "
                            + "subscriber received %.0f events/s, %d out of order%n", backlog,
                            drained ? "all drained" : "NOT all drained", drain, received / drain, sub.outOfOrder());
                    out.flush();
                    drainS = String.format(Locale.ROOT, "%.1f", drain);
                } else {
                    out.println("restart and outage: skipped (an external --hub without --broker-stop/--broker-start)");
                }

                // quiet, then count what never arrived
                fleet.setActive(false);
                Thread.sleep(3000);
                long[] last = new long[terminals];
                for (int i = 0; i < terminals; i++) {
                    last[i] = fleet.members().get(i).sim().terminal().outbox().lastSeq();
                }
                waitFor(() -> allSeen(sub, fleet, last) && fleet.backlog() == 0, Duration.ofMinutes(5));
                long lost = 0;
                long events = 0;
                for (int i = 0; i < terminals; i++) {
                    FleetSimulator.Member m = fleet.members().get(i);
                    lost += sub.missing(m.site(), m.id(), last[i]);
                    events += last[i];
                }
                out.printf(Locale.ROOT, "events: %d sent by the fleet (%d actions, %d faults), %d lost, %d out of "
                        + "order, %d duplicates (at least once)%n", events, fleet.actions(), fleet.faults(), lost,
                        sub.outOfOrder(), sub.duplicates());
                out.flush();
                double mb = fleet.heapMbPerTerminal();
                fleet.close();

                // one terminal's outbox drain against raw Paho, like with like: the subscriber above
                // takes every event topic (the drain's too, not raw's), so it goes first; and a
                // terminal on its own runs platform threads, not the fleet's virtual ones
                sub.stop();
                String threads = System.clearProperty(cardterm.devices.concurrent.ServiceThreads.PROPERTY);
                double ratio;
                try {
                    ratio = OutboxBench.drainRatio(FleetSimulator.hubUris(broker.uri()).getFirst(), drainEvents, 1000,
                            drainRounds, base.resolve("drain"), out);
                } finally {
                    if (threads != null) {
                        System.setProperty(cardterm.devices.concurrent.ServiceThreads.PROPERTY, threads);
                    }
                }
                out.printf(Locale.ROOT, "terminals=%d online_after_restart_s=%s peak_connects_per_s=%s lost=%d "
                        + "drain_s=%s drain_ratio=%.2f mb_per_terminal=%.2f%n", terminals, restartS, peak,
                        lost, drainS, ratio, mb);
                out.flush();
                return 0;
            }
        }
    }

    /** Waits until every terminal's online state arrived after {@code sinceNanos}; seconds from then to the last. */
    private static double waitOnline(FleetSubscriber sub, FleetSimulator fleet, long sinceNanos, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long latest = 0;
            int missing = 0;
            for (FleetSimulator.Member m : fleet.members()) {
                long at = sub.onlineAtNanos(m.site(), m.id());
                if (at < sinceNanos) {
                    missing++;
                } else {
                    latest = Math.max(latest, at);
                }
            }
            if (missing == 0) {
                return (latest - sinceNanos) / 1e9;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(missing + " terminals not online within " + limit.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private static boolean allSeen(FleetSubscriber sub, FleetSimulator fleet, long[] target) {
        for (int i = 0; i < target.length; i++) {
            FleetSimulator.Member m = fleet.members().get(i);
            if (sub.missing(m.site(), m.id(), target[i]) > 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean waitFor(BooleanSupplier done, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static void shell(String cmd) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("sh", "-c", cmd).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("'" + cmd + "' exited with " + exit);
        }
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
