package cardterm.terminal.bench;

import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.hub.HubLink;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cardterm bench outbox --hub tcp://HOST:PORT}: how fast events become durable (many
 * publishers, group commit), how fast the hub link drains them to the broker at QoS 1 compared
 * with raw Paho QoS 1 asynchronous publishing in the same run, and the heap of a terminal with
 * 1,000,000 events waiting (a child JVM under {@code -Xmx64m}). Ends with one line:
 * {@code enqueue_per_s=.. drain_per_s=.. raw_per_s=.. drain_ratio=.. heap_mb=..}.
 */
@Command(name = "outbox", mixinStandardHelpOptions = true,
        description = "Outbox: durable enqueue rate, drain rate to the broker vs raw Paho QoS 1, heap with a "
                + "large backlog.")
public final class OutboxBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "bench";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--hub", required = true, paramLabel = "URI",
            description = "The broker, tcp://HOST:PORT (events go to cardterm/v1/bench/...).")
    String hub;

    @Option(names = "--events", defaultValue = "100000", description = "Events to enqueue and drain in each round "
            + "(default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--publishers", defaultValue = "64",
            description = "Concurrent publishing threads (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--window", defaultValue = "1000",
            description = "In-flight window, for the link and for raw Paho alike (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--backlog", defaultValue = "1000000",
            description = "Events waiting in the heap test (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--rounds", defaultValue = "7",
            description = "Rounds of enqueue, drain and raw; the median counts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "4",
            description = "Rounds run first and not counted, so both sides run compiled code (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--dir", description = "Where to put the bench databases (default: a temporary directory, removed).")
    Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new OutboxBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean temporary = dir == null;
        Path base = temporary ? Files.createTempDirectory("cardterm-bench-") : Files.createDirectories(dir);
        try {
            List<Double> enqueues = new ArrayList<>();
            List<Double> drains = new ArrayList<>();
            List<Double> raws = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            // the JIT compiles both sides' code in the first rounds (the drain's gets faster round
            // by round until then): those are run and not counted
            for (int round = 1; round <= warmup; round++) {
                Round r = round(base.resolve("warmup-" + round), round % 2 == 0);
                out.printf(Locale.ROOT, "warm-up %d (not counted): drain %.0f events/s, raw Paho %.0f messages/s%n",
                        round, r.drain(), r.raw());
                out.flush();
            }
            // the machine may be shared: each round measures all three close together, the
            // median of the rounds counts (the ratio is the median of each round's own ratio)
            for (int round = 1; round <= rounds; round++) {
                Round r = round(base.resolve("round-" + round), round % 2 == 0);
                out.printf(Locale.ROOT, "round %d: enqueue %d events from %d publishers: %.0f events/s durable%n",
                        round, events, publishers, r.enqueue());
                out.printf(Locale.ROOT, "round %d: drain to %s at QoS 1, window %d: %.0f events/s acknowledged%n",
                        round, hub, window, r.drain());
                out.printf(Locale.ROOT, "round %d: raw Paho QoS 1, %d bytes, window %d: %.0f messages/s acknowledged"
                        + " (ratio %.2f)%n", round, r.payloadBytes(), window, r.raw(), r.drain() / r.raw());
                out.flush();
                enqueues.add(r.enqueue());
                drains.add(r.drain());
                raws.add(r.raw());
                ratios.add(r.drain() / r.raw());
            }
            double enqueue = median(enqueues);
            double drain = median(drains);
            double raw = median(raws);
            double ratio = median(ratios);

            out.printf("heap: child JVM -Xmx64m with %d events waiting...%n", backlog);
            out.flush();
            double heap = heapInChild(base.resolve("heap"), out);

            out.printf(Locale.ROOT, "enqueue_per_s=%.0f drain_per_s=%.0f raw_per_s=%.0f drain_ratio=%.2f heap_mb=%.1f%n",
                    enqueue, drain, raw, ratio, heap);
            out.flush();
            return 0;
        } finally {
            if (temporary) {
                deleteTree(base);
            }
        }
    }

    /** One round's figures, per second. */
    private record Round(double enqueue, double drain, double raw, int payloadBytes) {}

    /**
     * Enqueues the events into a new outbox in {@code data}, then drains it and raw Paho publishes
     * as many, in that order or ({@code rawFirst}) the other way round: rounds alternate, so
     * neither side always runs on the heels of the enqueue.
     */
    private Round round(Path data, boolean rawFirst) throws Exception {
        String terminal = "bench-" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL, 36);
        double e;
        double d;
        double r = 0;
        int payloadBytes;
        try (Database db = Database.open(data);
                Outbox outbox = Outbox.open(db, OutboxSettings.of(SITE, terminal).withMaxEntries(
                        Math.max(events * 2L, OutboxSettings.DEFAULT_MAX_ENTRIES)), Clock.systemDefaultZone())) {
            e = enqueue(outbox, events, publishers);
            payloadBytes = outbox.read(cardterm.terminal.event.EventKind.DEVICE, 0, 1).entries().stream()
                    .findFirst().map(x -> x.payload().length).orElse(300);
            if (rawFirst) {
                r = raw(terminal, payloadBytes);
            }
            d = drain(db, outbox, terminal);
        }
        if (!rawFirst) {
            r = raw(terminal, payloadBytes);
        }
        return new Round(e, d, r, payloadBytes);
    }

    /**
     * For other benches: the median, over {@code rounds} (after one not counted), of the outbox's
     * drain rate to {@code hub} at QoS 1 over raw Paho QoS 1 publishing of the same events in the
     * same round.
     */
    public static double drainRatio(String hub, int events, int window, int rounds, Path base, PrintWriter out)
            throws Exception {
        OutboxBench b = new OutboxBench();
        b.hub = hub;
        b.events = events;
        b.window = window;
        b.publishers = 64;
        b.round(base.resolve("warmup"), false);
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Round r = b.round(base.resolve("round-" + round), round % 2 == 0);
            out.printf(Locale.ROOT, "drain round %d: outbox %.0f events/s, raw Paho %.0f messages/s, ratio %.2f%n",
                    round, r.drain(), r.raw(), r.drain() / r.raw());
            out.flush();
            ratios.add(r.drain() / r.raw());
        }
        return median(ratios);
    }

    static ObjectNode sample(long i) {
        ObjectNode d = JSON.createObjectNode();
        d.put("device", "printer");
        d.put("status", "DEGRADED");
        d.put("detail", "SUPPLY_LOW");
        d.put("message", "ribbon at 8 percent, about 40 cards left");
        d.put("n", i);
        return d;
    }

    static final String[] TYPES = {"device.status", "device.supply", "issuance.step", "assist.call.raised",
        "audit.command.executed"};

    /** Publishes {@code count} events from {@code threads} threads; returns events per second. */
    static double enqueue(Outbox outbox, int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-publisher");
            t.setDaemon(true);
            return t;
        });
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) count * t / threads);
                int to = (int) ((long) count * (t + 1) / threads);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = from; i < to; i++) {
                        outbox.publish(TYPES[i % TYPES.length], sample(i));
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            return count / seconds(t0);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Events per second from the moment the link's session is up (its health turns OK, before it
     * sends anything) to the commit that leaves no event waiting (every one acknowledged by the
     * broker and noted on disk), both taken where they happen rather than by polling.
     */
    private double drain(Database db, Outbox outbox, String terminal) throws InterruptedException {
        HubSettings settings = HubSettings.builder(SITE, terminal).uri(hub).inflightWindow(window)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(2)).build();
        long waiting = outbox.size();
        java.util.concurrent.atomic.AtomicLong up = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong empty = new java.util.concurrent.atomic.AtomicLong();
        CountDownLatch drained = new CountDownLatch(1);
        Runnable onCommit = () -> {
            if (outbox.size() == 0 && empty.compareAndSet(0, System.nanoTime())) {
                drained.countDown();
            }
        };
        outbox.addCommitListener(onCommit);
        try (HubLink link = new HubLink(settings, db, outbox, new CommandRegistry(), Clock.systemDefaultZone(),
                "bench")) {
            link.addHealthListener((device, health) -> {
                if (health.reason() == cardterm.devices.health.HealthReason.OK) {
                    up.compareAndSet(0, System.nanoTime());
                }
            });
            link.start();
            if (!drained.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(up.get() == 0 ? "cannot connect to " + hub + ": "
                        + link.health().message() : "the outbox did not drain within 120 s: " + outbox.size()
                        + " of " + waiting + " events still waiting");
            }
            return waiting / Math.max(1e-9, (empty.get() - up.get()) / 1e9);
        } finally {
            outbox.removeCommitListener(onCommit);
        }
    }

    /** Raw Paho: QoS 1 asynchronous publishes of the same size, the same window. */
    private double raw(String terminal, int payloadBytes) throws MqttException, InterruptedException {
        MqttAsyncClient client = new MqttAsyncClient(hub, "cardterm-raw-" + terminal, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(window);
        try {
            client.connect(o).waitForCompletion(30_000);
            byte[] payload = new byte[payloadBytes];
            java.util.Arrays.fill(payload, (byte) 'x');
            String topic = "cardterm/v1/" + SITE + "/" + terminal + "/raw";
            Semaphore room = new Semaphore(window);
            CountDownLatch acked = new CountDownLatch(events);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            IMqttActionListener listener = new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    room.release();
                    acked.countDown();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    failure.compareAndSet(null, exception);
                    room.release();
                    acked.countDown();
                }
            };
            long t0 = System.nanoTime();
            for (int i = 0; i < events; i++) {
                room.acquire();
                client.publish(topic, payload, 1, false, null, listener);
            }
            acked.await();
            double rate = events / seconds(t0);
            if (failure.get() != null) {
                throw new IllegalStateException("raw publishing failed: " + failure.get());
            }
            return rate;
        } finally {
            try {
                client.disconnect(1_000).waitForCompletion(2_000);
            } catch (MqttException e) {
                // closing anyway
            }
            client.close(true);
        }
    }

    private double heapInChild(Path data, PrintWriter out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx64m");
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(HeapProbe.class.getName());
        cmd.add(data.toString());
        cmd.add(hub);
        cmd.add(Integer.toString(backlog));
        cmd.add(Integer.toString(window));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Double heap = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("heap_mb=")) {
                    heap = Double.parseDouble(line.substring("heap_mb=".length()));
                } else if (line.startsWith("  ")) {
                    out.println(line);
                    out.flush();
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || heap == null) {
            throw new IllegalStateException("heap probe failed (exit " + exit + ")");
        }
        return heap;
    }

    /**
     * The child JVM of the heap test: fills an outbox to the backlog, connects the hub link and
     * lets it drain for a while, and prints the heap used after a full GC at each stage.
     */
    public static final class HeapProbe {
        private HeapProbe() {}

        public static void main(String[] args) throws Exception {
            Path data = Path.of(args[0]);
            String hub = args[1];
            int backlog = Integer.parseInt(args[2]);
            int window = Integer.parseInt(args[3]);
            String terminal = "bench-heap-" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL, 36);
            try (Database db = Database.open(data);
                    Outbox outbox = Outbox.open(db, OutboxSettings.of(SITE, terminal).withMaxEntries(backlog + 1_000L),
                            Clock.systemDefaultZone())) {
                enqueue(outbox, 10_000, 32);
                double small = usedAfterGcMb();
                System.out.printf(Locale.ROOT, "  heap after GC with %d waiting: %.1f MB%n", outbox.size(), small);
                long t0 = System.nanoTime();
                enqueue(outbox, backlog - 10_000, 64);
                System.out.printf(Locale.ROOT, "  filled to %d waiting in %.0f s%n", outbox.size(), seconds(t0));
                double full = usedAfterGcMb();
                System.out.printf(Locale.ROOT, "  heap after GC with %d waiting: %.1f MB%n", outbox.size(), full);
                HubSettings settings = HubSettings.builder(SITE, terminal).uri(hub).inflightWindow(window).build();
                double draining;
                try (HubLink link = new HubLink(settings, db, outbox, new CommandRegistry(),
                        Clock.systemDefaultZone(), "bench")) {
                    link.start();
                    long before = outbox.size();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (outbox.size() > 0 && before - outbox.size() < 50_000 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    draining = usedAfterGcMb();
                    System.out.printf(Locale.ROOT, "  heap after GC while draining, %d waiting: %.1f MB (max %d MB)%n",
                            outbox.size(), draining, Runtime.getRuntime().maxMemory() >> 20);
                }
                System.out.printf(Locale.ROOT, "heap_mb=%.1f%n", Math.max(full, draining));
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double usedAfterGcMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    static double seconds(long t0) {
        return Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
