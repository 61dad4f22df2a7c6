package cardterm.terminal.aot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The JVM's ahead-of-time cache of the service's classes, loaded and linked (JDK 24+ {@code
 * -XX:AOTCache}; on 21 to 23 an AppCDS archive, {@code -XX:SharedArchiveFile}), made by a training
 * start of {@code cardterm run} in a {@link StartupRig}: the service starts, comes online, and is
 * stopped; the JVM writes the cache as it ends. Made for one java binary and one jar: the JVM checks
 * both when it maps the cache and, in its default mode ({@code -XX:AOTMode=auto}, {@code
 * -Xshare:auto}), runs without it (with a warning) when they do not match, so a stale cache costs
 * speed, never the start.
 *
 * <p>Beside the cache, {@code FILE.java} says what it was made for, in one line the launcher reads
 * without starting a JVM: {@code KIND JAR_MTIME:JAR_SIZE JAVA} ({@code aot} or {@code cds}, the
 * jar's modification time in seconds and size in bytes, the java binary's real path).
 */
public final class AotCache {
    /** The kind of cache a JVM makes and uses. */
    public enum Kind {
        /** JDK 24+: {@code -XX:AOTCache}. */
        AOT,
        /** JDK 21-23: an AppCDS archive, {@code -XX:SharedArchiveFile}. */
        CDS;

        public static Kind of(int javaFeature) {
            return javaFeature >= 24 ? AOT : CDS;
        }

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final long TOOL_WAIT_S = 300;

    private AotCache() {
    }

    /** The java binary of this JVM (its real path). */
    public static Path javaBinary() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** The kind of cache this JVM makes. */
    public static Kind kind() {
        return Kind.of(Runtime.version().feature());
    }

    /** The jar this JVM runs, when it was started with {@code -jar} (or one jar as class path). */
    public static Optional<Path> runningJar() {
        String cp = System.getProperty("java.class.path", "");
        if (!cp.isEmpty() && !cp.contains(java.io.File.pathSeparator) && cp.endsWith(".jar") && Files.isRegularFile(Path.of(cp))) {
            return Optional.of(Path.of(cp));
        }
        return Optional.empty();
    }

    /**
     * How to launch the service's main class with this JVM's classes: {@code -jar JAR} when it runs
     * from a jar; else a class path of jars, each directory of the class path packed into a jar under
     * {@code workDir} (the JVM caches classes from jars only).
     */
    public static List<String> appLaunch(Path workDir) throws IOException {
        Optional<Path> jar = runningJar();
        if (jar.isPresent()) {
            return List.of("-jar", jar.get().toString());
        }
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                entries.add(pack(p, workDir.resolve("classes-" + (n++) + ".jar")).toString());
            } else if (Files.isRegularFile(p)) {
                entries.add(p.toString());
            }
        }
        return List.of("--enable-native-access=ALL-UNNAMED", "--add-opens=java.smartcardio/sun.security.smartcardio=ALL-UNNAMED",
                "-cp", String.join(java.io.File.pathSeparator, entries), "cardterm.terminal.cli.Main");
    }

    /** The JVM options that use {@code cache}; {@code strict}: the JVM stops if it cannot (for checks), else it goes on without. */
    public static List<String> useOptions(Kind kind, Path cache, boolean strict) {
        return switch (kind) {
            case AOT -> List.of("-XX:AOTMode=" + (strict ? "on" : "auto"), "-XX:AOTCache=" + cache);
            case CDS -> List.of(strict ? "-Xshare:on" : "-Xshare:auto", "-XX:SharedArchiveFile=" + cache);
        };
    }

    /** The options every start of the service gets, as the launcher gives them. */
    public static List<String> serviceOptions() {
        return List.of("-Djava.awt.headless=true");
    }

    /**
     * Makes the cache {@code out} with this JVM's java by a training start of the service in {@code
     * rig}; logs go to the rig's folder. Returns the cache's size in bytes.
     */
    public static long create(Path out, StartupRig rig, List<String> app, Path workDir)
            throws IOException, InterruptedException, StartupRig.StartFailure {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        String java = javaBinary().toString();
        List<String> runArgs = List.of("run", "--config", rig.config().toString());
        int feature = Runtime.version().feature();
        if (feature >= 25) {
            rig.run(command(java, List.of("-XX:AOTCacheOutput=" + tmp), app, runArgs), "aot-training");
        } else if (feature == 24) {
            Path conf = workDir.resolve("cardterm.aotconf");
            rig.run(command(java, List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + conf), app, runArgs), "aot-record");
            tool(command(java, List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + conf, "-XX:AOTCache=" + tmp), app, List.of()),
                    workDir.resolve("aot-create.log"));
        } else {
            rig.run(command(java, List.of("-XX:ArchiveClassesAtExit=" + tmp), app, runArgs), "cds-training");
        }
        if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
            throw new StartupRig.StartFailure("the JVM wrote no cache (" + tmp + "); see the training logs in " + workDir);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Files.size(out);
    }

    /** Writes {@code FILE.java} beside the cache: what it was made for (see the class comment). */
    public static Path writeStamp(Path cache, Kind kind, Path jar, Path java) throws IOException {
        long mtime = Files.getLastModifiedTime(jar).toMillis() / 1000;
        String line = kind.word() + " " + mtime + ":" + Files.size(jar) + " " + java.toRealPath() + "\n";
        return Files.writeString(cache.resolveSibling(cache.getFileName() + ".java"), line, StandardCharsets.UTF_8);
    }

    static List<String> command(String java, List<String> jvm, List<String> app, List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvm);
        c.addAll(serviceOptions());
        c.addAll(app);
        c.addAll(args);
        return c;
    }

    private static void tool(List<String> command, Path log) throws IOException, InterruptedException, StartupRig.StartFailure {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(TOOL_WAIT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new StartupRig.StartFailure("making the cache took over " + TOOL_WAIT_S + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new StartupRig.StartFailure("making the cache failed (exit " + p.exitValue() + "); see " + log + StartupRig.tail(log));
        }
    }

    private static Path pack(Path dir, Path jar) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream fo = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(fo, m);
                Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
