package cardterm.terminal.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A whole simulated terminal ({@code cardterm simulate}) in a child JVM on a real broker, so a
 * test can SIGKILL it at any moment and start it again on the same work directory.
 */
final class SimTerminalProcess implements AutoCloseable {
    static final String KEY_TEXT = "fault-test-hub-key-0123456789-abcdefghij";

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private SimTerminalProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(this::read);
    }

    /** Writes the command key file (mode 0600) into {@code dir}. */
    static Path keyFile(Path dir) throws IOException {
        Path key = dir.resolve("hub.key");
        Files.writeString(key, KEY_TEXT + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    static SimTerminalProcess start(String brokerUri, Path work, Path key, Path log, String... extra)
            throws IOException {
        return start(0.002, brokerUri, work, key, log, extra);
    }

    /** As above with the printer's time scale (1 = as slow as a real printer). */
    static SimTerminalProcess start(double timeScale, String brokerUri, Path work, Path key, Path log,
            String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.awt.headless=true", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "cardterm.terminal.cli.CardtermMain",
                "simulate", "--hub", brokerUri, "--work-dir", work.toString(), "--scenario", "none",
                "--command-key", key.toString(), "--time-scale", Double.toString(timeScale)));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(log.toFile()).start();
        return new SimTerminalProcess(p);
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // killed
        }
    }

    /** Types {@code line} on the simulation's console (its standard input, {@code --scenario none}). */
    void type(String line) throws IOException {
        var in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

        List<String> lines() {
        return lines;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no offline state, as a power cut. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the simulated terminal did not die");
        }
    }

    /** SIGTERM: a clean stop (the offline state is published). */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the simulated terminal did not stop within 30 s");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
