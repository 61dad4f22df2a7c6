package cardterm.terminal.fleet;

import cardterm.terminal.bench.BenchSupport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cardterm bench monitor}: how soon a technician's {@code monitor} shows the whole fleet.
 * The retained {@code state} and {@code health} of N terminals are put on a broker (a mosquitto
 * of the bench's own, configured as docs/hub-at-scale.md says, or {@code --hub}); then, alternating,
 * {@code monitor --once --json} in a child JVM under {@code -Xmx256m} (from connecting to the
 * whole table printed, including the quiet it waits to know the retained messages are all in),
 * and raw Paho taking the same 2N retained messages in this JVM (connect, subscribe, the last one
 * in). Goal (issue #17): the full view within 5 s of connecting, in at most 256 MB of heap. Ends
 * with one line {@code terminals=.. view_ms=.. intake_ms=.. raw_ms=.. heap_used_mb=..} (medians).
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "monitor's first full view of N terminals' retained states vs raw Paho taking them in.")
public final class MonitorBench implements Callable<Integer> {
    private static final Pattern TIMING = Pattern.compile("monitor timing: terminals=(\\d+) messages=(\\d+) "
            + "connect_ms=(\\d+) intake_ms=(\\d+) view_ms=(\\d+) heap_used_mb=([0-9.]+) heap_max_mb=(\\d+)");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--terminals", defaultValue = "10000", description = "Terminals (default ${DEFAULT-VALUE}).")
    int terminals;

    @Option(names = "--sites", defaultValue = "100", description = "Sites (default ${DEFAULT-VALUE}).")
    int sites;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds each way (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--hub", paramLabel = "URI", description = "A broker (default: a mosquitto of the bench's own).")
    String hub;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (terminals < 1 || sites < 1 || sites > 999 || rounds < 1) {
            err.println("cardterm bench monitor: --terminals and --rounds at least 1, --sites 1..999");
            return 2;
        }
        Path base = Files.createTempDirectory("cardterm-bench-monitor-");
        LocalMosquitto own = null;
        try {
            String uri = hub;
            if (uri == null) {
                own = LocalMosquitto.start(base.resolve("broker"));
                uri = own.uri();
            }
            long t0 = System.nanoTime();
            RetainedFleet.publish(uri, terminals, sites);
            out.printf(Locale.ROOT, "retained state and health of %d terminals on %s in %.1f s%n", terminals, uri,
                    (System.nanoTime() - t0) / 1e9);
            out.flush();
            List<double[]> views = new ArrayList<>();
            List<Double> raws = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                double raw = raw(uri, 2L * terminals);
                double[] v = monitor(uri, base);
                out.printf(Locale.ROOT, "round %d: monitor (child JVM, -Xmx256m) full view %.0f ms after connecting "
                        + "(taken in at %.0f ms, then the quiet that tells it all came), heap in use %.1f MB; "
                        + "raw Paho took the %d messages in %.0f ms%n", r, v[0], v[1], v[2], 2L * terminals, raw);
                out.flush();
                views.add(v);
                raws.add(raw);
            }
            double view = BenchSupport.median(views.stream().mapToDouble(v -> v[0]).toArray());
            double intake = BenchSupport.median(views.stream().mapToDouble(v -> v[1]).toArray());
            double heap = views.stream().mapToDouble(v -> v[2]).max().orElse(0);
            double raw = BenchSupport.median(raws.stream().mapToDouble(Double::doubleValue).toArray());
            out.printf(Locale.ROOT, "goal: the full view within 5000 ms of connecting in at most 256 MB of heap: %s%n",
                    view <= 5000 ? "met" : "NOT met");
            out.printf(Locale.ROOT, "terminals=%d view_ms=%.0f intake_ms=%.0f raw_ms=%.0f heap_used_mb=%.1f%n",
                    terminals, view, intake, raw, heap);
            out.flush();
            return 0;
        } finally {
            if (own != null) {
                own.close();
            }
            BenchSupport.deleteQuietly(base);
        }
    }

    /** Raw Paho: connect, subscribe to every state and health (QoS 1, as monitor does), ms until {@code expected} came. */
    static double raw(String uri, long expected) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(uri, "bench-raw-" + System.nanoTime(), new MemoryPersistence());
        AtomicLong got = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (got.incrementAndGet() == expected) {
                    all.countDown();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        long t0 = System.nanoTime();
        try {
            c.connect(o).waitForCompletion(10_000);
            c.subscribe(new String[] {"cardterm/v1/+/+/state", "cardterm/v1/+/+/health"}, new int[] {1, 1});
            if (!all.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("raw Paho got " + got.get() + " of " + expected + " in 120 s");
            }
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            c.disconnect().waitForCompletion(5000);
            c.close();
        }
    }

    /** {@code monitor --once --json --timing} in a child JVM under -Xmx256m: {view_ms, intake_ms, heap_used_mb}. */
    double[] monitor(String uri, Path base) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.awt.headless=true"));
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        // by name: the fleet package does not reach up into the CLI
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "cardterm.terminal.cli.CardtermMain",
                "monitor",
                "--broker", uri, "--once", "--json", "--wait", "60", "--timing"));
        Path errFile = base.resolve("monitor-err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errFile.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("monitor did not finish in 120 s");
        }
        String err = Files.readString(errFile, StandardCharsets.UTF_8);
        Matcher m = TIMING.matcher(err);
        if (!m.find()) {
            throw new IllegalStateException("monitor printed no timing (exit " + p.exitValue() + "):\n" + err);
        }
        if (Integer.parseInt(m.group(1)) != terminals) {
            throw new IllegalStateException("monitor saw " + m.group(1) + " terminals of " + terminals);
        }
        return new double[] {Double.parseDouble(m.group(5)), Double.parseDouble(m.group(4)),
            Double.parseDouble(m.group(6))};
    }
}
