package cardterm.terminal.bench;

import static cardterm.terminal.bench.BenchSupport.deleteQuietly;
import static cardterm.terminal.bench.BenchSupport.disconnect;

import cardterm.terminal.bench.BenchSupport.BenchFailure;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.sim.SimulatedTerminal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * {@code cardterm bench assist --hub tcp://HOST:PORT}: from a press on the mock input of a call
 * button to the {@code assist.call.raised} event at a subscriber of the broker, through the whole
 * simulated terminal (button logic, call state machine, durable outbox, hub link), over
 * {@code --presses} presses; beside it, in the same run and interleaved, raw Paho QoS 1 publish
 * round trips (publish to arrival at the same subscriber). Each call is resolved and its event
 * received before the next press, so every press raises a new call. Goal: p99 at most the button
 * debounce + 5 ms. Ends with one line {@code p50_ms=.. p99_ms=.. debounce_ms=.. raw_p99_ms=..}.
 */
@Command(name = "assist", mixinStandardHelpOptions = true,
        description = "Call button press to assist.call.raised at a subscriber, vs raw Paho QoS 1 round trips.")
public final class AssistBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUTTON = "call-1";
    private static final String SUPERVISOR = "S9001";
    private static final long WAIT_S = 10;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--hub", required = true, paramLabel = "URI", description = "The broker, tcp://HOST:PORT.")
    String hub;

    @Option(names = "--presses", defaultValue = "1000", description = "Measured presses (default: ${DEFAULT-VALUE}).")
    int presses;

    @Option(names = "--warmup", defaultValue = "50", description = "Presses before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    /** One message that reached the subscriber: when, and its payload. */
    private record Arrival(long nanos, String topic, JsonNode json) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new AssistBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (presses < 1 || warmup < 0) {
            err.println("cardterm bench assist: --presses must be at least 1 and --warmup not negative");
            return 2;
        }
        Path dir = Files.createTempDirectory("cardterm-bench-assist-");
        String rawTopic = "cardterm/v1/bench-raw/" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL, 36)
                + "/event/device";
        BlockingQueue<Arrival> assist = new LinkedBlockingQueue<>();
        BlockingQueue<Arrival> raw = new LinkedBlockingQueue<>();
        TerminalConfig config = TerminalConfig.forSimulation(dir.resolve("data"), hub);
        String eventTopic = "cardterm/v1/" + config.terminal().site() + "/" + config.terminal().id() + "/event/assist";
        MqttAsyncClient subscriber = null;
        MqttAsyncClient publisher = null;
        SimulatedTerminal sim = null;
        try {
            subscriber = client("sub");
            subscriber.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    long now = System.nanoTime();
                    try {
                        (topic.equals(rawTopic) ? raw : assist).add(new Arrival(now, topic, JSON.readTree(message.getPayload())));
                    } catch (IOException e) {
                        // not JSON: not ours
                    }
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            subscriber.subscribe(new String[] {eventTopic, rawTopic}, new int[] {1, 1}).waitForCompletion(WAIT_S * 1000);
            publisher = client("pub");

            sim = SimulatedTerminal.start(config, dir, new PrintStream(OutputStream.nullOutputStream()), 0,
                    Clock.system(config.terminal().timeZone()), "bench");
            long debounceMs = config.assist().timing().debounce().toMillis();
            awaitOnline(sim);
            out.printf(Locale.ROOT, "terminal %s on %s; button %s, debounce %d ms; %d warm-up + %d measured presses%n",
                    config.terminal().id(), hub, BUTTON, debounceMs, warmup, presses);
            out.flush();

            double[] assistMs = new double[presses];
            double[] rawMs = new double[presses];
            byte[] rawPayload = "{\"bench\":true,\"pad\":\"0123456789012345678901234567890123456789\"}"
                    .getBytes(StandardCharsets.UTF_8);
            for (int i = -warmup; i < presses; i++) {
                double a = press(sim, assist, debounceMs);
                double r = rawRoundTrip(publisher, raw, rawTopic, rawPayload);
                if (i >= 0) {
                    assistMs[i] = a;
                    rawMs[i] = r;
                }
            }
            Arrays.sort(assistMs);
            Arrays.sort(rawMs);
            double p50 = percentile(assistMs, 50);
            double p99 = percentile(assistMs, 99);
            double rawP50 = percentile(rawMs, 50);
            double rawP99 = percentile(rawMs, 99);
            out.printf(Locale.ROOT, "press -> assist.call.raised at the subscriber: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    p50, p99, assistMs[assistMs.length - 1]);
            out.printf(Locale.ROOT, "raw Paho QoS 1 publish -> arrival:           p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    rawP50, rawP99, rawMs[rawMs.length - 1]);
            out.printf(Locale.ROOT, "goal p99 <= debounce + 5 ms = %d ms: %s%n", debounceMs + 5,
                    p99 <= debounceMs + 5 ? "met" : "NOT met");
            // stop the terminal first: its last log lines must not come after the figures line
            sim.close();
            sim = null;
            out.printf(Locale.ROOT, "p50_ms=%.2f p99_ms=%.2f debounce_ms=%d raw_p99_ms=%.2f%n", p50, p99, debounceMs, rawP99);
            out.flush();
            return 0;
        } catch (BenchFailure e) {
            err.println("cardterm bench assist: " + e.getMessage());
            return 1;
        } catch (MqttException e) {
            err.println("cardterm bench assist: broker " + hub + ": " + e.getMessage());
            return 1;
        } finally {
            if (sim != null) {
                sim.close();
            }
            disconnect(publisher);
            disconnect(subscriber);
            deleteQuietly(dir);
        }
    }

    /** One press: its latency to the raised event; then release, resolve, and settle. */
    private static double press(SimulatedTerminal sim, BlockingQueue<Arrival> arrivals, long debounceMs)
            throws InterruptedException {
        arrivals.clear();
        long t0 = System.nanoTime();
        sim.gpio().mockPins().press(BUTTON);
        Arrival raised = next(arrivals, "assist.call.raised");
        sim.gpio().mockPins().release(BUTTON);
        String callId = raised.json().path("data").path("callId").asText();
        var r = sim.terminal().assist().resolve(callId, SUPERVISOR);
        if (!r.ok()) {
            throw new BenchFailure("resolving call " + callId + " failed: " + r.code() + " " + r.message());
        }
        next(arrivals, "assist.call.resolved");
        Thread.sleep(debounceMs + 5); // the release settles: the next press is a new press
        return (raised.nanos() - t0) / 1e6;
    }

    private static Arrival next(BlockingQueue<Arrival> arrivals, String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (true) {
            long left = deadline - System.nanoTime();
            Arrival a = left > 0 ? arrivals.poll(left, TimeUnit.NANOSECONDS) : null;
            if (a == null) {
                throw new BenchFailure("no " + type + " event reached the subscriber within " + WAIT_S + " s");
            }
            if (type.equals(a.json().path("type").asText())) {
                return a;
            }
        }
    }

    private static double rawRoundTrip(MqttAsyncClient publisher, BlockingQueue<Arrival> arrivals, String topic,
            byte[] payload) throws MqttException, InterruptedException {
        arrivals.clear();
        long t0 = System.nanoTime();
        publisher.publish(topic, payload, 1, false);
        Arrival a = arrivals.poll(WAIT_S, TimeUnit.SECONDS);
        if (a == null) {
            throw new BenchFailure("a raw QoS 1 message did not come back within " + WAIT_S + " s");
        }
        return (a.nanos() - t0) / 1e6;
    }

    private static void awaitOnline(SimulatedTerminal sim) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!sim.terminal().hub().status().connected()) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("the terminal did not connect to the broker within " + WAIT_S + " s");
            }
            Thread.sleep(20);
        }
    }

    private MqttAsyncClient client(String role) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(hub, "cardterm-bench-assist-" + role + "-"
                + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL, 36), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout((int) WAIT_S);
        o.setMaxInflight(100);
        c.connect(o).waitForCompletion(WAIT_S * 1000);
        return c;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
