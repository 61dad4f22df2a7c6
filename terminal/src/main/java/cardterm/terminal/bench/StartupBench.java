package cardterm.terminal.bench;

import static cardterm.terminal.bench.BenchSupport.deleteQuietly;
import static cardterm.terminal.bench.BenchSupport.median;

import cardterm.terminal.aot.AotCache;
import cardterm.terminal.aot.StartupRig;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cardterm bench startup}: how soon {@code cardterm run} is back online after a restart,
 * without and with the JVM's ahead-of-time cache, side by side. It makes the cache as {@code
 * cardterm aot-cache} does (a training start), then starts the service in child JVMs {@code
 * --starts} times each way, alternating, on a throwaway world (the embedded broker, or {@code
 * --hub}; printer simulator; mock GPIO; a generated config; the same data folder every time, as
 * after a power cut). A start is timed from the child's launch to the retained {@code state} online
 * at a subscriber. Cached starts insist on the cache ({@code -XX:AOTMode=on} / {@code -Xshare:on}):
 * a JVM that cannot use it fails the bench instead of timing a cold start. Goal: cached at most
 * half of cold. Ends with one line {@code cold_ms=.. cached_ms=.. ratio=..} (medians).
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = "cardterm run from start to online, without and with the JVM's AOT cache, alternating.")
public final class StartupBench implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--starts", defaultValue = "5", description = "Measured starts each way (default: ${DEFAULT-VALUE}).")
    int starts;

    @Option(names = "--hub", paramLabel = "URI", description = "A broker tcp://HOST:PORT (default: an embedded one on a free port).")
    String hub;

    @Option(names = "--keep", description = "Keep the work folder (config, cache, each start's log).")
    boolean keep;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StartupBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (starts < 1) {
            err.println("cardterm bench startup: --starts must be at least 1");
            return 2;
        }
        Path dir = Files.createTempDirectory("cardterm-bench-startup-");
        AotCache.Kind kind = AotCache.kind();
        String java = AotCache.javaBinary().toString();
        List<String> args = new ArrayList<>();
        try (StartupRig rig = StartupRig.open(dir, hub)) {
            List<String> app = AotCache.appLaunch(dir);
            args.addAll(List.of("run", "--config", rig.config().toString()));
            out.printf(Locale.ROOT, "java %s (%s); broker %s; %s%n", Runtime.version(), java, rig.hub(),
                    app.contains("-jar") ? "jar " + app.get(app.size() - 1) : "class path of " + app.get(app.size() - 2).split(File.pathSeparator).length + " jars");
            out.flush();
            Path cache = dir.resolve("cardterm." + kind.word());
            long t0 = System.nanoTime();
            long size = AotCache.create(cache, rig, app, dir);
            out.printf(Locale.ROOT, "%s cache: %.1f MB, made by a training start in %.1f s%n",
                    kind.word().toUpperCase(Locale.ROOT), size / 1e6, (System.nanoTime() - t0) / 1e9);
            out.flush();

            List<String> cold = command(java, List.of(), app, args);
            List<String> cached = command(java, AotCache.useOptions(kind, cache, true), app, args);
            double[] coldMs = new double[starts];
            double[] cachedMs = new double[starts];
            for (int i = 0; i < starts; i++) {
                // alternate which goes first, so that neither always follows the other
                boolean coldFirst = i % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isCold = (k == 0) == coldFirst;
                    StartupRig.Start s = rig.run(isCold ? cold : cached, isCold ? "cold" : "cached");
                    (isCold ? coldMs : cachedMs)[i] = s.onlineMs();
                }
                out.printf(Locale.ROOT, "start %d: cold %.0f ms, cached %.0f ms%n", i + 1, coldMs[i], cachedMs[i]);
                out.flush();
            }
            double c = median(coldMs);
            double a = median(cachedMs);
            out.printf(Locale.ROOT, "start -> state online, median of %d: cold %.0f ms (%s), cached %.0f ms (%s)%n", starts,
                    c, list(coldMs), a, list(cachedMs));
            out.printf(Locale.ROOT, "goal cached <= cold / 2: %s%n", a <= c / 2 ? "met" : "NOT met");
            out.printf(Locale.ROOT, "cold_ms=%.0f cached_ms=%.0f ratio=%.2f%n", c, a, a / c);
            out.flush();
            return 0;
        } catch (StartupRig.StartFailure e) {
            err.println("cardterm bench startup: " + e.getMessage());
            keep = true;
            return 1;
        } catch (MqttException e) {
            err.println("cardterm bench startup: broker " + (hub == null ? "(embedded)" : hub) + ": " + e.getMessage());
            return 1;
        } finally {
            if (keep) {
                err.println("cardterm bench startup: work folder kept: " + dir);
                err.flush();
            } else {
                deleteQuietly(dir);
            }
        }
    }

    private static List<String> command(String java, List<String> cacheOptions, List<String> app, List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(cacheOptions);
        c.addAll(AotCache.serviceOptions());
        c.addAll(app);
        c.addAll(args);
        return c;
    }

    private static String list(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.0f", v)).collect(Collectors.joining(" "));
    }
}
