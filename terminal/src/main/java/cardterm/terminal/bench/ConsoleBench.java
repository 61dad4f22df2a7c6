package cardterm.terminal.bench;

import static cardterm.terminal.bench.BenchSupport.deleteQuietly;
import static cardterm.terminal.bench.BenchSupport.disconnect;

import cardterm.terminal.bench.BenchSupport.BenchFailure;
import cardterm.terminal.app.TerminalConsole;
import cardterm.terminal.assist.CallCommandResult;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.console.ConsoleServer;
import cardterm.terminal.sim.EmbeddedBroker;
import cardterm.terminal.sim.SimulatedTerminal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cardterm bench console}: the counter console on a simulated terminal, in Debian's headless
 * chromium (driven over the DevTools protocol, {@link HeadlessChromium}). It times the console's
 * start ({@link ConsoleServer#startMillis()}) and the resident memory it adds (VmRSS after a full
 * GC, median of several readings: before the start, after it, and after one signed-in browser
 * session has been served; the baseline is taken with the browser, the bench's DevTools client and
 * the terminal's own call path already warm, so that the difference is the console's), then presses a call button {@code --events} times: each press is timed
 * on the JVM's wall clock to the call's row appearing in the page's DOM (a MutationObserver the
 * bench puts in the page reads {@code performance.timeOrigin + performance.now()}: one machine, one
 * clock) and, in the same run, to {@code assist.call.raised} at an MQTT subscriber of the broker.
 * Each call is resolved and gone from the page before the next press. Goals (issue #14): p99 at
 * most 250 ms, start at most 300 ms, at most 25 MB added. Ends with one line
 * {@code p50_ms=.. p99_ms=.. hub_p99_ms=.. start_ms=.. rss_added_mb=..}.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Counter console: start time, added memory, and call press to the row in a real browser's page.")
public final class ConsoleBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUTTON = "call-1";
    private static final String STAFF = "S1001";
    private static final String PIN = "1234";
    private static final String SUPERVISOR = "S9001";
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Readings of resident memory, each after a full GC; their median counts. */
    private static final int SAMPLES = 5;
    /** The page's side: rows of calls appearing and going, with the page's wall clock. */
    private static final String OBSERVER = """
            (() => {
              if (window.cardtermBenchObserver) { return true; }
              const shown = new Set();
              const report = (e, id, t) => window.cardtermBench(JSON.stringify({e: e, id: id, t: t}));
              window.cardtermBenchObserver = new MutationObserver((mutations) => {
                const t = performance.timeOrigin + performance.now();
                for (const m of mutations) {
                  for (const n of m.addedNodes) {
                    if (n.nodeType === 1 && n.tagName === 'TR' && n.id.startsWith('call-')) {
                      const id = n.id.substring(5);
                      if (!shown.has(id) && document.contains(n)) { shown.add(id); report('shown', id, t); }
                    }
                  }
                }
                for (const id of Array.from(shown)) {
                  if (!document.getElementById('call-' + id)) { shown.delete(id); report('gone', id, t); }
                }
              });
              window.cardtermBenchObserver.observe(document.body, {childList: true, subtree: true});
              return true;
            })()
            """;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--hub", paramLabel = "URI", description = "A broker tcp://HOST:PORT (default: an embedded one on a free port).")
    String hub;

    @Option(names = "--events", defaultValue = "200", description = "Measured call presses (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--warmup", defaultValue = "10", description = "Presses before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--chromium", defaultValue = "/usr/bin/chromium", paramLabel = "PATH",
            description = "The browser (default: ${DEFAULT-VALUE}, Debian's chromium).")
    Path chromium;

    /** When something happened on the wall clock, in ms since the epoch (fractions from the µs clock). */
    private record Seen(double wallMs, JsonNode json) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConsoleBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (events < 1 || warmup < 0) {
            err.println("cardterm bench console: --events must be at least 1 and --warmup not negative");
            return 2;
        }
        if (!Files.isExecutable(chromium)) {
            err.println("cardterm bench console: no browser at " + chromium
                    + " (install Debian's chromium: sudo apt-get install chromium; or give --chromium PATH)");
            return 2;
        }
        Path dir = Files.createTempDirectory("cardterm-bench-console-");
        Map<String, Seen> hubRaised = new ConcurrentHashMap<>();
        Map<String, Seen> hubResolved = new ConcurrentHashMap<>();
        Map<String, Double> pageShown = new ConcurrentHashMap<>();
        Map<String, Double> pageGone = new ConcurrentHashMap<>();
        EmbeddedBroker broker = null;
        MqttAsyncClient subscriber = null;
        SimulatedTerminal sim = null;
        ConsoleServer console = null;
        HeadlessChromium browser = null;
        try {
            String uri = hub;
            if (uri == null) {
                broker = EmbeddedBroker.start("127.0.0.1", freePort());
                uri = broker.uri();
            }
            TerminalConfig config = TerminalConfig.forSimulation(dir.resolve("data"), uri);
            String topic = "cardterm/v1/" + config.terminal().site() + "/" + config.terminal().id() + "/event/assist";
            subscriber = subscribe(uri, topic, hubRaised, hubResolved);
            sim = SimulatedTerminal.start(config, dir, new PrintStream(OutputStream.nullOutputStream()), 0,
                    Clock.system(config.terminal().timeZone()), "bench");
            awaitOnline(sim);
            long debounceMs = config.assist().timing().debounce().toMillis();

            // the browser and the bench's DevTools client run before the baseline: their memory is not the console's
            browser = HeadlessChromium.start(chromium, dir);
            browser.addBinding("cardtermBench", payload -> {
                try {
                    JsonNode j = JSON.readTree(payload);
                    (j.path("e").asText().equals("shown") ? pageShown : pageGone).put(j.path("id").asText(), j.path("t").asDouble());
                } catch (IOException e) {
                    // not ours
                }
            });
            for (int i = 0; i < 50; i++) {
                browser.evaluate("document.readyState");
            }
            // the terminal's own path warmed up first: what the console adds is not the terminal's first calls
            for (int i = 0; i < warmup; i++) {
                press(sim, null, debounceMs, hubRaised, hubResolved, pageShown, pageGone);
            }
            double rssBefore = rssMb();
            long heapBefore = heapUsedKb();
            long[] partsBefore = memoryParts();
            console = TerminalConsole.start(sim.terminal(), config.console().withPort(0));
            double startMs = console.startMillis();
            double rssStarted = rssMb();
            out.printf(Locale.ROOT, "terminal %s on %s; console %s started in %.1f ms; button %s, debounce %d ms%n",
                    config.terminal().id(), uri, console.uri(), startMs, BUTTON, debounceMs);
            out.flush();

            browser.navigate(console.uri());
            browser.evaluate("document.getElementById('staffId').value = '" + STAFF + "';"
                    + "document.getElementById('pin').value = '" + PIN + "';"
                    + "document.querySelector('#signin-form button[type=submit]').click(); true");
            browser.waitFor("document.getElementById('who').textContent.includes('" + STAFF + "')"
                    + " && document.getElementById('terminal').textContent.trim() !== ''"
                    + " && !document.getElementById('calls-section').hidden", WAIT);
            browser.evaluate(OBSERVER);
            out.printf(Locale.ROOT, "chromium %s signed in as %s; %d warm-up + %d measured presses%n",
                    chromium, STAFF, warmup, events);
            out.flush();

            double rssServed = rssBefore;
            long heapServed = heapBefore;
            long[] partsServed = partsBefore;
            double[] pageMs = new double[events];
            double[] hubMs = new double[events];
            double[] afterHubMs = new double[events];
            for (int i = -warmup; i < events; i++) {
                double[] r = press(sim, browser, debounceMs, hubRaised, hubResolved, pageShown, pageGone);
                if (i == -1 || (warmup == 0 && i == 0)) {
                    // one browser session served (with its first calls): the console's memory now
                    rssServed = rssMb();
                    heapServed = heapUsedKb();
                    partsServed = memoryParts();
                }
                if (i >= 0) {
                    pageMs[i] = r[0];
                    hubMs[i] = r[1];
                    afterHubMs[i] = r[0] - r[1];
                }
            }
            double rssAdded = rssServed - rssBefore;
            double heapAddedMb = (heapServed - heapBefore) / 1024.0;
            Arrays.sort(pageMs);
            Arrays.sort(hubMs);
            Arrays.sort(afterHubMs);
            double p50 = AssistBench.percentile(pageMs, 50);
            double p99 = AssistBench.percentile(pageMs, 99);
            double hubP50 = AssistBench.percentile(hubMs, 50);
            double hubP99 = AssistBench.percentile(hubMs, 99);
            out.printf(Locale.ROOT, "press -> call row in the page's DOM:          p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    p50, p99, pageMs[pageMs.length - 1]);
            out.printf(Locale.ROOT, "press -> assist.call.raised at a subscriber: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    hubP50, hubP99, hubMs[hubMs.length - 1]);
            out.printf(Locale.ROOT, "row in the page minus arrival at the subscriber, same press: p50 %.2f ms, p99 %.2f ms;"
                    + " load average %s on %d cores%n", AssistBench.percentile(afterHubMs, 50),
                    AssistBench.percentile(afterHubMs, 99), loadAverage(), Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "console start %.1f ms; resident memory (after GC, median of %d readings): %.1f MB before,"
                    + " %.1f MB started (+%.1f), %.1f MB after a browser session (+%.1f)%n", startMs, SAMPLES,
                    rssBefore, rssStarted, rssStarted - rssBefore, rssServed, rssAdded);
            out.printf(Locale.ROOT, "of which, by the JVM's count: heap in use after GC %+.1f MB, heap committed %+.1f MB,"
                    + " code and class metadata committed %+.1f MB, %+d threads%n", heapAddedMb,
                    (partsServed[0] - partsBefore[0]) / 1024.0, (partsServed[1] - partsBefore[1]) / 1024.0,
                    partsServed[2] - partsBefore[2]);
            out.printf(Locale.ROOT, "goal a change on screen p99 <= 250 ms: %s%n", p99 <= 250 ? "met" : "NOT met");
            out.printf(Locale.ROOT, "goal console start <= 300 ms: %s%n", startMs <= 300 ? "met" : "NOT met");
            out.printf(Locale.ROOT, "goal console adds <= 25 MB resident: %s%n", rssAdded <= 25 ? "met" : "NOT met");
            // stop everything first: no log line may come after the figures line
            browser.close();
            browser = null;
            console.close();
            console = null;
            sim.close();
            sim = null;
            out.printf(Locale.ROOT, "p50_ms=%.2f p99_ms=%.2f hub_p99_ms=%.2f start_ms=%.1f rss_added_mb=%.1f%n",
                    p50, p99, hubP99, startMs, rssAdded);
            out.flush();
            return 0;
        } catch (HeadlessChromium.BrowserException | BenchFailure e) {
            err.println("cardterm bench console: " + e.getMessage());
            return 1;
        } catch (MqttException e) {
            err.println("cardterm bench console: broker " + (hub == null ? "(embedded)" : hub) + ": " + e.getMessage());
            return 1;
        } catch (EmbeddedBroker.BrokerStartException e) {
            err.println("cardterm bench console: embedded broker: " + e.getMessage());
            return 1;
        } finally {
            if (browser != null) {
                browser.close();
            }
            if (console != null) {
                console.close();
            }
            if (sim != null) {
                sim.close();
            }
            disconnect(subscriber);
            if (broker != null) {
                broker.close();
            }
            deleteQuietly(dir);
        }
    }

    /**
     * One press: from the press (JVM wall clock) to the row in the page and to the raised event at
     * the subscriber; then release, resolve, wait until the page drops the row, and let the button
     * settle. Without a browser (warming the terminal up) the page is not looked at. A random pause
     * of up to 100 ms comes before the press: the presses fall at any phase of the console's 50 ms
     * look at the state, not locked to it by the bench's own rhythm.
     */
    private static double[] press(SimulatedTerminal sim, HeadlessChromium browser, long debounceMs,
            Map<String, Seen> hubRaised, Map<String, Seen> hubResolved, Map<String, Double> pageShown,
            Map<String, Double> pageGone) throws InterruptedException, HeadlessChromium.BrowserException {
        hubRaised.clear();
        Thread.sleep(ThreadLocalRandom.current().nextInt(101));
        double t0 = wallMs();
        sim.gpio().mockPins().press(BUTTON);
        Seen raised = awaitAny(hubRaised, "assist.call.raised at the subscriber");
        sim.gpio().mockPins().release(BUTTON);
        String callId = raised.json().path("data").path("callId").asText();
        double shown = browser == null ? t0 : await(pageShown, callId, "call " + callId + " in the page");
        CallCommandResult r = sim.resolve(callId, SUPERVISOR);
        if (!r.ok()) {
            throw new BenchFailure("resolving call " + callId + " failed: " + r.code() + " " + r.message());
        }
        await(hubResolved, callId, "assist.call.resolved of " + callId + " at the subscriber");
        if (browser != null) {
            await(pageGone, callId, "call " + callId + " gone from the page");
        }
        Thread.sleep(debounceMs + 5); // the release settles: the next press is a new press
        return new double[] {shown - t0, raised.wallMs() - t0};
    }

    private static Seen awaitAny(Map<String, Seen> m, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (m.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("no " + what + " within " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(1);
        }
        return m.values().iterator().next();
    }

    private static <T> T await(Map<String, T> m, String key, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T v;
        while ((v = m.get(key)) == null) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("no " + what + " within " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(1);
        }
        return v;
    }

    /** The wall clock in ms since the epoch, with the µs the JVM's clock gives. */
    private static double wallMs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
    }

    /** This process's resident memory (VmRSS) in MB after a full GC: the median of {@link #SAMPLES} readings. */
    private static double rssMb() throws IOException, InterruptedException {
        double[] mb = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            System.gc();
            Thread.sleep(100);
            mb[i] = vmRssKb() / 1024.0;
        }
        Arrays.sort(mb);
        return mb[SAMPLES / 2];
    }

    private static long heapUsedKb() {
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
    }

    /** Heap committed (kB), non-heap committed (code cache, metaspace; kB), live threads. */
    private static long[] memoryParts() {
        var m = java.lang.management.ManagementFactory.getMemoryMXBean();
        return new long[] {m.getHeapMemoryUsage().getCommitted() / 1024, m.getNonHeapMemoryUsage().getCommitted() / 1024,
            java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount()};
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long vmRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    private static MqttAsyncClient subscribe(String uri, String topic, Map<String, Seen> raised, Map<String, Seen> resolved)
            throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, "cardterm-bench-console-"
                + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL, 36), new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String t, MqttMessage message) {
                double now = wallMs();
                try {
                    JsonNode j = JSON.readTree(message.getPayload());
                    String type = j.path("type").asText();
                    String callId = j.path("data").path("callId").asText();
                    if (type.equals("assist.call.raised")) {
                        raised.put(callId, new Seen(now, j));
                    } else if (type.equals("assist.call.resolved")) {
                        resolved.put(callId, new Seen(now, j));
                    }
                } catch (IOException e) {
                    // not JSON: not ours
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout((int) WAIT.toSeconds());
        c.connect(o).waitForCompletion(WAIT.toMillis());
        c.subscribe(topic, 1).waitForCompletion(WAIT.toMillis());
        return c;
    }

    private static void awaitOnline(SimulatedTerminal sim) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!sim.terminal().hub().status().connected()) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("the terminal did not connect to the broker within " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
