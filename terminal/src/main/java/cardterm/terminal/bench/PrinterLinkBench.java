package cardterm.terminal.bench;

import static cardterm.terminal.bench.BenchSupport.deleteQuietly;

import cardterm.devices.printer.EclLine;
import cardterm.devices.printer.PrinterLink;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterServer;
import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardterm bench printer-link}: over a socat pty pair with the printer simulator on the far
 * end, measures the {@code Rst} round trip and {@code Db} throughput through the bridge (transport,
 * codec, session) against raw jSerialComm reads and writes of the same bytes on the same open port,
 * interleaved one exchange at a time so that outside load hits both alike. Ends with one line:
 * {@code raw_rtt_us=.. rtt_us=.. rtt_ratio=.. raw_mb_s=.. mb_s=.. throughput_ratio=..}
 * (ratios are bridge cost over raw cost: 1.0 means no overhead).
 */
@Command(name = "printer-link", mixinStandardHelpOptions = true,
        description = "Rst round trip and Db throughput through the bridge vs raw jSerialComm on one socat pty.")
public final class PrinterLinkBench implements Callable<Integer> {
    private static final byte[] RST = EclLine.statusRequest();
    private static final int PANEL_BYTES = EclLine.MAX_PANEL_BYTES;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds, each reported (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--rtt-iterations", defaultValue = "2000", description = "Rst round trips per round and mode (default ${DEFAULT-VALUE}).")
    int rttIterations;

    @Option(names = "--panels", defaultValue = "8", description = "y panels (658,368 bytes each) per round and mode (default ${DEFAULT-VALUE}).")
    int panels;

    @Option(names = "--warmup", defaultValue = "1000", description = "Untimed round trips of each kind first (default ${DEFAULT-VALUE}).")
    int warmup;

    /** Figures of one mode over all rounds. */
    private static final class Figures {
        final long[] rtt;
        int rttCount;
        long bytes;
        long dbNanos;

        Figures(int capacity) {
            rtt = new long[capacity];
        }

        double medianRttMicros() {
            long[] s = Arrays.copyOf(rtt, rttCount);
            Arrays.sort(s);
            return s[s.length / 2] / 1_000.0;
        }

        double megabytesPerSecond() {
            return bytes / 1e6 / (dbNanos / 1e9);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rounds < 1 || rttIterations < 1 || panels < 1 || warmup < 0) {
            err.println("cardterm bench printer-link: rounds, iterations and panels must be positive");
            return 2;
        }
        Path dir = null;
        Process socat = null;
        EclPrinterServer sim = null;
        try {
            dir = Files.createTempDirectory("cardterm-bench-");
            Path host = dir.resolve("ttyHOST");
            Path device = dir.resolve("ttyDEV");
            try {
                socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + host, "pty,raw,echo=0,link=" + device)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
            } catch (IOException e) {
                err.println("cardterm bench printer-link: cannot run socat (apt-get install -y socat): " + e.getMessage());
                return 1;
            }
            Process p = socat;
            if (!waitFor(() -> Files.exists(host) && Files.exists(device) || !p.isAlive(), Duration.ofSeconds(10))
                    || !socat.isAlive()) {
                err.println("cardterm bench printer-link: socat did not make the pty pair");
                return 1;
            }
            sim = EclPrinterServer.startOnPath(device, EclPrinterModel.Settings.colour(), 0);
            EclPrinterServer s = sim;
            if (!waitFor(s::isConnected, Duration.ofSeconds(10))) {
                err.println("cardterm bench printer-link: the simulator did not open " + device);
                return 1;
            }
            byte[] panel = new byte[PANEL_BYTES];
            for (int i = 0; i < panel.length; i++) {
                panel[i] = (byte) (i * 7);
            }
            Figures raw = new Figures(rounds * rttIterations);
            Figures bridge = new Figures(rounds * rttIterations);
            out.printf(Locale.ROOT, "printer-link: %d rounds, %d Rst round trips and %d y panels (%d bytes) per round and mode%n",
                    rounds, rttIterations, panels, PANEL_BYTES);
            SerialPort port = openRaw(host);
            try (EclLine line = EclLine.overOpenPort(port, host, Duration.ofSeconds(10))) {
                line.startPrintSequence(); // a print sequence, so that every Db is accepted
                byte[] buf = new byte[4096];
                byte[] dbLine = EclLine.downloadLine("y", "front", panel.length);
                for (int i = 0; i < warmup; i++) {
                    rawRoundTrip(port, RST, null, buf);
                    line.status();
                }
                for (int r = 0; r < rounds; r++) {
                    int from = raw.rttCount;
                    long rawBytes = raw.bytes;
                    long rawNanos = raw.dbNanos;
                    long brBytes = bridge.bytes;
                    long brNanos = bridge.dbNanos;
                    // interleaved one by one, order flipping, so that load from elsewhere hits both alike
                    for (int i = 0; i < rttIterations; i++) {
                        boolean rawFirst = (i & 1) == 0;
                        for (int k = 0; k < 2; k++) {
                            long t0 = System.nanoTime();
                            if (rawFirst == (k == 0)) {
                                rawRoundTrip(port, RST, null, buf);
                                raw.rtt[raw.rttCount++] = System.nanoTime() - t0;
                            } else {
                                line.status();
                                bridge.rtt[bridge.rttCount++] = System.nanoTime() - t0;
                            }
                        }
                    }
                    for (int i = 0; i < panels; i++) {
                        boolean rawFirst = (i & 1) == 0;
                        for (int k = 0; k < 2; k++) {
                            long t0 = System.nanoTime();
                            if (rawFirst == (k == 0)) {
                                String answer = rawRoundTrip(port, dbLine, panel, buf);
                                if (!answer.equals("OK")) {
                                    throw new IOException("raw Db answered " + answer);
                                }
                                raw.dbNanos += System.nanoTime() - t0;
                                raw.bytes += panel.length;
                            } else {
                                line.download("y", "front", panel);
                                bridge.dbNanos += System.nanoTime() - t0;
                                bridge.bytes += panel.length;
                            }
                        }
                    }
                    out.printf(Locale.ROOT, "round %d: rtt raw %.1f us bridge %.1f us; Db raw %.1f MB/s bridge %.1f MB/s%n",
                            r + 1, median(raw.rtt, from, raw.rttCount) / 1e3, median(bridge.rtt, from, bridge.rttCount) / 1e3,
                            (raw.bytes - rawBytes) / 1e6 / ((raw.dbNanos - rawNanos) / 1e9),
                            (bridge.bytes - brBytes) / 1e6 / ((bridge.dbNanos - brNanos) / 1e9));
                    out.flush();
                }
            } catch (EclLine.LineException e) {
                err.println("cardterm bench printer-link: bridge failed: " + e.getMessage());
                return 1;
            }
            double rawRtt = raw.medianRttMicros();
            double rtt = bridge.medianRttMicros();
            double rawMb = raw.megabytesPerSecond();
            double mb = bridge.megabytesPerSecond();
            out.printf(Locale.ROOT, "raw_rtt_us=%.1f rtt_us=%.1f rtt_ratio=%.3f raw_mb_s=%.2f mb_s=%.2f throughput_ratio=%.3f%n",
                    rawRtt, rtt, rtt / rawRtt, rawMb, mb, rawMb / mb);
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("cardterm bench printer-link: " + e.getMessage());
            return 1;
        } finally {
            if (sim != null) {
                sim.close();
            }
            if (socat != null) {
                socat.destroyForcibly();
                try {
                    socat.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteQuietly(dir);
        }
    }

    // ---------------------------------------------------------------- raw: jSerialComm, no codec, no session

    private static SerialPort openRaw(Path host) throws IOException {
        SerialPort port = SerialPort.getCommPort(host.toString());
        port.setComPortParameters(PrinterLink.DEFAULT_BAUD, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        if (!port.openPort()) {
            throw new IOException("cannot open " + host + " (error " + port.getLastErrorCode() + ")");
        }
        return port;
    }

    /** Writes a line (and data), reads up to the CR of the answer; bounded by a 10 s deadline. */
    private static String rawRoundTrip(SerialPort port, byte[] line, byte[] data, byte[] buf) throws IOException {
        rawWrite(port, line);
        if (data != null) {
            rawWrite(port, data);
        }
        int got = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int n = port.readBytes(buf, buf.length - got, got);
            if (n < 0) {
                throw new IOException("raw read failed");
            }
            for (int i = got; i < got + n; i++) {
                if (buf[i] == EclLine.CR) {
                    return new String(buf, 0, i, StandardCharsets.US_ASCII);
                }
            }
            got += n;
            if (got == buf.length || System.nanoTime() > deadline) {
                throw new IOException("raw answer did not come");
            }
        }
    }

    private static void rawWrite(SerialPort port, byte[] b) throws IOException {
        int off = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (off < b.length) {
            int n = port.writeBytes(b, b.length - off, off);
            if (n < 0 || System.nanoTime() > deadline) {
                throw new IOException("raw write failed");
            }
            off += n;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static double median(long[] a, int from, int to) {
        long[] s = Arrays.copyOfRange(a, from, to);
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static boolean waitFor(BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }
}
