package cardterm.terminal.fleet;

import cardterm.devices.printer.RibbonType;
import cardterm.terminal.assist.CallSnapshot;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.sim.SimulatedTerminal;
import cardterm.terminal.store.OutboxSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many whole simulated terminals in one JVM: each a real {@link SimulatedTerminal} (its own
 * identity {@code site-NN/t-NNNN}, data directory, durable outbox, simulated devices and hub link),
 * so each behaves on the hub contract exactly as {@code cardterm simulate} does. What the fleet
 * shares is the scripted activity: one small scheduler drives every terminal's calls, jobs and
 * faults (an empty hopper, a jammed printer, an open cover), each put right again a little later.
 */
public final class FleetSimulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FleetSimulator.class);
    /** Staff of the simulation config (post "hall"). */
    private static final String STAFF = "S1001";

    /** What to run. */
    public record Options(int terminals, String hubUri, Path workDir, int sites, double activityPerMinute,
            double faultShare, double timeScale, Duration backoffInitial, Duration backoffMax, int startThreads) {
        public Options {
            Objects.requireNonNull(hubUri, "hubUri");
            Objects.requireNonNull(workDir, "workDir");
            if (terminals < 1 || sites < 1 || activityPerMinute < 0 || faultShare < 0 || faultShare > 1) {
                throw new IllegalArgumentException("terminals and sites at least 1, activity at least 0, faults 0..1");
            }
        }

        /** Defaults: 10 sites, one action per terminal per minute, a tenth of them faults, backoff 1..60 s. */
        public static Options of(int terminals, String hubUri, Path workDir) {
            return new Options(terminals, hubUri, workDir, 10, 1.0, 0.1, SimulatedTerminal.DEFAULT_TIME_SCALE,
                    HubSettings.DEFAULT_BACKOFF_INITIAL, HubSettings.DEFAULT_BACKOFF_MAX, 4);
        }

        public Options withSites(int s) {
            return new Options(terminals, hubUri, workDir, s, activityPerMinute, faultShare, timeScale,
                    backoffInitial, backoffMax, startThreads);
        }

        public Options withActivity(double perMinute, double faults) {
            return new Options(terminals, hubUri, workDir, sites, perMinute, faults, timeScale, backoffInitial,
                    backoffMax, startThreads);
        }

        public Options withBackoff(Duration initial, Duration max) {
            return new Options(terminals, hubUri, workDir, sites, activityPerMinute, faultShare, timeScale, initial,
                    max, startThreads);
        }
    }

    /** One terminal of the fleet. */
    public record Member(String site, String id, SimulatedTerminal sim) {
        public String root() {
            return "cardterm/v1/" + site + "/" + id;
        }
    }

    private final Options options;
    private final List<Member> members;
    private final ScheduledExecutorService activity;
    private final AtomicLong actions = new AtomicLong();
    private final AtomicLong faults = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final double heapMbPerTerminal;

    private FleetSimulator(Options options, List<Member> members, double heapMbPerTerminal) {
        this.options = options;
        this.members = members;
        this.heapMbPerTerminal = heapMbPerTerminal;
        this.activity = Executors.newScheduledThreadPool(2,
                r -> Thread.ofPlatform().daemon().name("fleet-activity").unstarted(r));
    }

    /**
     * Makes every terminal started in this JVM while the returned handle is open run its service
     * threads (links, workers, schedulers, Paho's) as virtual threads: a fleet of thousands has
     * about fifteen per terminal. Closing the handle puts back what was set before (a test JVM
     * goes on with platform threads). A choice made on the command line
     * ({@code -Dcardterm.threads=...}) is kept.
     */
    public static AutoCloseable useVirtualThreads() {
        String key = cardterm.devices.concurrent.ServiceThreads.PROPERTY;
        if (System.getProperty(key) != null) {
            return () -> { };
        }
        System.setProperty(key, "virtual");
        return () -> System.clearProperty(key);
    }

    /** The site of terminal {@code i} (0-based) among {@code sites}: {@code site-01} ... */
    public static String siteOf(int i, int sites) {
        return String.format(Locale.ROOT, "site-%02d", i % sites + 1);
    }

    /** The id of terminal {@code i} (0-based): {@code t-0001} ... */
    public static String idOf(int i) {
        return String.format(Locale.ROOT, "t-%04d", i + 1);
    }

    /**
     * The configuration {@code simulate} uses, for terminal {@code id} at {@code site}, with its
     * data under {@code dir}.
     */
    public static TerminalConfig config(String site, String id, Path dir, Options o) {
        List<String> uris = hubUris(o.hubUri());
        TerminalConfig base = TerminalConfig.forSimulation(dir, uris.getFirst());
        HubSettings hub = base.hub();
        // several brokers (a cluster's nodes): every terminal knows them all, each starts at its own
        List<String> mine0 = new ArrayList<>(uris);
        Collections.rotate(mine0, -Math.floorMod(id.hashCode(), uris.size()));
        HubSettings mine = HubSettings.builder(site, id).uris(mine0).commandKeyFile(hub.commandKeyFile())
                .inflightWindow(hub.inflightWindow()).keepAlive(hub.keepAlive())
                .connectTimeout(hub.connectTimeout()).backoff(o.backoffInitial(), o.backoffMax()).build();
        OutboxSettings outbox = OutboxSettings.of(site, id).withMaxEntries(base.outbox().maxEntries())
                .withQueueCapacity(base.outbox().queueCapacity()).withPublishTimeout(base.outbox().publishTimeout());
        return new TerminalConfig(new TerminalConfig.Terminal(id, site, base.terminal().dataDir(),
                base.terminal().timeZone()), mine, outbox, base.health(), base.readers(), base.printer(), base.gpio(),
                base.assist(), base.issuance(), base.logging());
    }

    /** The broker URIs of {@code hub}: one, or several separated by commas (a cluster's nodes). */
    public static List<String> hubUris(String hub) {
        List<String> l = java.util.Arrays.stream(hub.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
        if (l.isEmpty()) {
            throw new IllegalArgumentException("no broker URI in " + hub);
        }
        return l;
    }

    /**
     * Starts the fleet (several terminals at a time); {@code progress} hears every hundredth. A
     * terminal that cannot start stops the whole fleet with the reason.
     */
    public static FleetSimulator start(Options o, String version, PrintStream progress) throws IOException,
            InterruptedException {
        Files.createDirectories(o.workDir());
        double before = usedHeapAfterGcMb();
        List<Member> members = Collections.synchronizedList(new ArrayList<>());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutorService starters = Executors.newFixedThreadPool(Math.max(1, o.startThreads()),
                r -> Thread.ofPlatform().daemon().name("fleet-start").unstarted(r));
        List<Future<Member>> started = new ArrayList<>();
        AtomicLong count = new AtomicLong();
        try {
            for (int i = 0; i < o.terminals(); i++) {
                int n = i;
                started.add(starters.submit(() -> {
                    String site = siteOf(n, o.sites());
                    String id = idOf(n);
                    Path dir = o.workDir().resolve(site).resolve(id);
                    TerminalConfig c = config(site, id, dir, o);
                    SimulatedTerminal sim = SimulatedTerminal.start(c, dir, quiet, o.timeScale(),
                            Clock.system(c.terminal().timeZone()), version, true);
                    Member m = new Member(site, id, sim);
                    members.add(m);
                    long k = count.incrementAndGet();
                    if (k % 100 == 0 || k == o.terminals()) {
                        progress.println("cardterm fleet: " + k + " of " + o.terminals() + " terminals started");
                    }
                    return m;
                }));
            }
            List<Member> ordered = new ArrayList<>();
            for (Future<Member> f : started) {
                ordered.add(f.get());
            }
            double after = usedHeapAfterGcMb();
            FleetSimulator fleet = new FleetSimulator(o, List.copyOf(ordered), Math.max(0, after - before)
                    / o.terminals());
            fleet.startActivity();
            return fleet;
        } catch (java.util.concurrent.ExecutionException e) {
            starters.shutdownNow();
            synchronized (members) {
                members.forEach(m -> m.sim().close());
            }
            Throwable c = e.getCause();
            throw new IllegalStateException("a terminal did not start: " + c.getClass().getSimpleName() + ": "
                    + c.getMessage(), c);
        } finally {
            starters.shutdown();
        }
    }

    public List<Member> members() {
        return members;
    }

    /** Heap used after a full GC, per terminal, measured right after the fleet started. */
    public double heapMbPerTerminal() {
        return heapMbPerTerminal;
    }

    public long actions() {
        return actions.get();
    }

    public long faults() {
        return faults.get();
    }

    /** Jobs the terminals refused (e.g. no card font on this machine: the card face is OFFLINE). */
    public long refused() {
        return refused.get();
    }

    /** How many terminals are connected to the hub now (as each terminal sees it). */
    public int connected() {
        int n = 0;
        for (Member m : members) {
            if (m.sim().terminal().hub().isConnected()) {
                n++;
            }
        }
        return n;
    }

    /** Events waiting in all outboxes. */
    public long backlog() {
        long n = 0;
        for (Member m : members) {
            n += m.sim().terminal().outbox().size();
        }
        return n;
    }

    /** Pauses or resumes the scripted activity (the bench stops it before counting). */
    public void setActive(boolean active) {
        this.active = active;
    }

    private volatile boolean active = true;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private void startActivity() {
        if (options.activityPerMinute() <= 0) {
            return;
        }
        // one tick a second over the whole fleet: each terminal acts with probability rate/60
        double p = Math.min(1.0, options.activityPerMinute() / 60.0);
        activity.scheduleAtFixedRate(() -> {
            if (!active) {
                return;
            }
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (Member m : members) {
                if (r.nextDouble() < p) {
                    try {
                        act(m, r);
                    } catch (RuntimeException e) {
                        log.debug("fleet activity on {}/{}: {}", m.site(), m.id(), e.toString());
                    }
                }
            }
        }, 1000 + ThreadLocalRandom.current().nextLong(1000), 1000, TimeUnit.MILLISECONDS);
    }

    /** One scripted action on a terminal: a fault (put right later), a call, or a job. */
    private void act(Member m, ThreadLocalRandom r) {
        actions.incrementAndGet();
        SimulatedTerminal sim = m.sim();
        var printer = sim.printerSimulator().printer();
        if (r.nextDouble() < options.faultShare()) {
            faults.incrementAndGet();
            switch (r.nextInt(3)) {
                case 0 -> {
                    printer.setFeederCards(0); // the hopper runs empty; refilled within a minute
                    activity.schedule(() -> printer.setFeederCards(100), 20 + r.nextInt(40), TimeUnit.SECONDS);
                }
                case 1 -> {
                    printer.jamOnNextPrint(false);
                    issue(sim);
                }
                default -> {
                    printer.openCover();
                    activity.schedule(printer::closeCover, 5 + r.nextInt(20), TimeUnit.SECONDS);
                }
            }
            return;
        }
        if (r.nextBoolean()) {
            String button = r.nextBoolean() ? "call-1" : "call-2";
            sim.press(button);
            activity.schedule(() -> answer(sim), 3 + r.nextInt(10), TimeUnit.SECONDS);
        } else {
            issue(sim);
        }
    }

    private void issue(SimulatedTerminal sim) {
        sim.issue(18 + ThreadLocalRandom.current().nextInt(60), false, STAFF).ifPresent(p -> refused.incrementAndGet());
    }

    /** Staff acknowledge and then resolve the oldest open call. */
    private void answer(SimulatedTerminal sim) {
        try {
            List<CallSnapshot> open = sim.terminal().assist().openCalls();
            if (!open.isEmpty()) {
                String id = open.get(0).callId();
                sim.ack(id, STAFF);
                activity.schedule(() -> sim.resolve(id, STAFF), 2, TimeUnit.SECONDS);
            }
        } catch (RuntimeException e) {
            log.debug("fleet activity: {}", e.toString());
        }
    }

    /** A ribbon running low, for a terminal (a supply fault the bench may ask for). */
    public static void lowRibbon(Member m) {
        m.sim().printerSimulator().printer().loadRibbon(RibbonType.YMCKO, 3);
    }

    /** Heap used after a full GC, in MB. */
    public static double usedHeapAfterGcMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** Stops the activity and every terminal (each publishes its offline state), several at a time. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        active = false;
        activity.shutdownNow();
        ExecutorService closers = Executors.newFixedThreadPool(Math.max(4, options.startThreads() * 4),
                r -> Thread.ofPlatform().daemon().name("fleet-stop").unstarted(r));
        for (Member m : members) {
            closers.submit(() -> m.sim().close());
        }
        closers.shutdown();
        try {
            closers.awaitTermination(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
