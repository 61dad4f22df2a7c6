package cardterm.terminal.aot;

import cardterm.terminal.cli.CardtermMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cardterm aot-cache [--out FILE]}: makes the JVM's ahead-of-time cache of the service for
 * this jar and this java (a training start of {@code run} on a throwaway world: embedded broker,
 * printer simulator, mock GPIO; about 15 s), so that {@code run} starts about twice as fast. The
 * launcher then uses it for {@code run} and {@code simulate}. The package's postinst runs it; run it
 * again after changing the Java runtime (the launcher skips a cache made for another java).
 */
@Command(name = "aot-cache", mixinStandardHelpOptions = true,
        description = "Make the JVM's ahead-of-time cache of the service (faster start) for this jar and this java.")
public final class AotCacheCommand implements Callable<Integer> {
    /** Set by the launcher: where it looks for the cache. */
    public static final String PATH_PROPERTY = "cardterm.aot.cache";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the cache (default: where the launcher looks, else beside the jar).")
    Path out;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> jar = AotCache.runningJar();
        if (jar.isEmpty()) {
            err.println("cardterm aot-cache: runs from cardterm.jar only (java -jar, or the cardterm launcher)");
            return CardtermMain.EXIT_BAD_INPUT;
        }
        Path target = out != null ? out
                : Optional.ofNullable(System.getProperty(PATH_PROPERTY)).filter(s -> !s.isBlank()).map(Path::of)
                        .orElse(jar.get().resolveSibling(jar.get().getFileName().toString().replaceFirst("\\.jar$", "") + ".aot"));
        AotCache.Kind kind = AotCache.kind();
        Path work = null;
        long t0 = System.nanoTime();
        try {
            work = Files.createTempDirectory("cardterm-aot-cache-");
            long size;
            try (StartupRig rig = StartupRig.open(work, null)) {
                size = AotCache.create(target, rig, AotCache.appLaunch(work), work);
            }
            AotCache.writeStamp(target, kind, jar.get(), AotCache.javaBinary());
            stdout.printf(Locale.ROOT, "%s cache %s (%.1f MB) for %s, made in %.1f s%n", kind.word().toUpperCase(Locale.ROOT),
                    target, size / 1e6, AotCache.javaBinary(), (System.nanoTime() - t0) / 1e9);
            stdout.flush();
            deleteQuietly(work);
            return 0;
        } catch (StartupRig.StartFailure e) {
            err.println("cardterm aot-cache: no cache made: " + e.getMessage());
            return CardtermMain.EXIT_FAILED;
        } catch (IOException | MqttException | RuntimeException e) {
            err.println("cardterm aot-cache: no cache made: " + e.getMessage() + (work != null ? " (work folder " + work + ")" : ""));
            return CardtermMain.EXIT_FAILED;
        }
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left behind
        }
    }
}
