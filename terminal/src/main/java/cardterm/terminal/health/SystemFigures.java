package cardterm.terminal.health;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The host's figures for {@code health}: CPU temperature (from /sys/class/thermal where present),
 * load, free disk of the data directory, memory (available and total), JVM heap, the process's
 * uptime ({@code uptimeMs}) and the machine's ({@code hostUptimeMs}). Reads small files only;
 * a figure that cannot be read is left out.
 */
public final class SystemFigures {
    private final Path dataDir;
    private final Path thermalRoot;
    private final Path meminfo;
    private final Path procUptime;
    private final long startedNanos = System.nanoTime();

    public SystemFigures(Path dataDir) {
        this(dataDir, Path.of("/sys/class/thermal"), Path.of("/proc/meminfo"), Path.of("/proc/uptime"));
    }

    SystemFigures(Path dataDir, Path thermalRoot, Path meminfo, Path procUptime) {
        this.dataDir = dataDir;
        this.thermalRoot = thermalRoot;
        this.meminfo = meminfo;
        this.procUptime = procUptime;
    }

    public ObjectNode read() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("uptimeMs", (System.nanoTime() - startedNanos) / 1_000_000L);
        cpuTemperatureC().ifPresent(t -> o.put("cpuTemperatureC", Math.round(t * 10) / 10.0));
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load >= 0) {
            o.put("load1", Math.round(load * 100) / 100.0);
        }
        try {
            o.put("diskFreeBytes", Files.getFileStore(dataDir).getUsableSpace());
        } catch (IOException | RuntimeException e) {
            // data directory not there (yet): leave the figure out
        }
        memInfo("MemAvailable:").ifPresent(m -> o.put("memAvailableBytes", (long) m));
        memInfo("MemTotal:").ifPresent(m -> o.put("memTotalBytes", (long) m));
        hostUptimeMs().ifPresent(u -> o.put("hostUptimeMs", u));
        Runtime rt = Runtime.getRuntime();
        o.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
        o.put("heapMaxBytes", rt.maxMemory());
        o.put("threads", Thread.activeCount());
        return o;
    }

    /** Highest temperature among thermal zones of type cpu/soc, else the first zone. */
    OptionalDouble cpuTemperatureC() {
        if (!Files.isDirectory(thermalRoot)) {
            return OptionalDouble.empty();
        }
        double best = Double.NaN;
        int seen = 0;
        try (DirectoryStream<Path> zones = Files.newDirectoryStream(thermalRoot, "thermal_zone*")) {
            for (Path z : zones) {
                if (++seen > 32) {
                    break;
                }
                try {
                    double t = Long.parseLong(Files.readString(z.resolve("temp")).trim()) / 1000.0;
                    String type = Files.isReadable(z.resolve("type")) ? Files.readString(z.resolve("type")).trim() : "";
                    boolean cpu = type.contains("cpu") || type.contains("soc") || type.contains("x86_pkg");
                    if (Double.isNaN(best) || cpu && t > best) {
                        best = t;
                    }
                } catch (IOException | NumberFormatException e) {
                    // a zone without a readable temperature: skip it
                }
            }
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
        return Double.isNaN(best) ? OptionalDouble.empty() : OptionalDouble.of(best);
    }

    /** The machine's uptime (since boot), from /proc/uptime. */
    java.util.OptionalLong hostUptimeMs() {
        try {
            String first = Files.readString(procUptime).trim().split("\\s+")[0];
            return java.util.OptionalLong.of(Math.round(Double.parseDouble(first) * 1000));
        } catch (IOException | RuntimeException e) {
            return java.util.OptionalLong.empty();
        }
    }

    OptionalDouble memAvailableBytes() {
        return memInfo("MemAvailable:");
    }

    /** A /proc/meminfo figure (given in kB) in bytes. */
    OptionalDouble memInfo(String key) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith(key)) {
                    String kb = line.substring(key.length()).replace("kB", "").trim();
                    return OptionalDouble.of(Long.parseLong(kb) * 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or unreadable
        }
        return OptionalDouble.empty();
    }
}
