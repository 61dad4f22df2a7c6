package cardterm.terminal.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A small fleet (100 real simulated terminals in this JVM) on a mosquitto of the bench's own: all
 * online, the broker restarted (all back within 60 s), a short outage with activity going on,
 * every backlog drained in order, not one event lost; the bench ends with its one line.
 */
class FleetBenchTest {
    static final Pattern LINE = Pattern.compile("terminals=(\\d+) online_after_restart_s=(\\d+\\.\\d) "
            + "peak_connects_per_s=(\\d+) lost=(\\d+) drain_s=(\\d+\\.\\d) drain_ratio=(\\d+\\.\\d\\d) "
            + "mb_per_terminal=(\\d+\\.\\d\\d)");

    @Test
    void aSmallFleetSurvivesARestartAndAnOutageLosingNothing() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new FleetBench());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("--terminals", "100", "--outage", "4", "--activity", "20", "--sites", "5",
                "--drain-events", "2000", "--drain-rounds", "1");
        assertThat(exit).as(out + "\n" + err).isZero();
        List<String> lines = out.toString().lines().toList();
        String last = lines.get(lines.size() - 1);
        Matcher m = LINE.matcher(last);
        assertThat(m.matches()).as(last).isTrue();
        assertThat(m.group(1)).isEqualTo("100");
        assertThat(Double.parseDouble(m.group(2))).as("all back online after the restart").isLessThan(60);
        // measured, and sane: a terminal's online state may reach the subscriber twice in one second
        // (the live publish and, on its resumed session, the retained one), never more
        assertThat(Long.parseLong(m.group(3))).isBetween(1L, 200L);
        assertThat(m.group(4)).as("events lost").isEqualTo("0");
        assertThat(out.toString()).contains("all drained").contains(" 0 lost, 0 out of order");
    }

    /**
     * The same on a clustered hub: three NATS nodes (the shipped config/nats/local-cluster and
     * hub-node.conf), every terminal given all three URIs; the whole cluster restarted, then down
     * for a while: all back, every backlog drained, nothing lost.
     */
    @Test
    void aSmallFleetOnAThreeNodeNatsClusterLosesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        cardterm.terminal.testing.NatsCluster.binary(); // fails with the install hint when missing
        java.nio.file.Path script = cardterm.terminal.testing.NatsCluster.shippedConfig().resolveSibling("local-cluster");
        int base = freeBase();
        String cluster = dir.resolve("nats").toString();
        String c = script + " ";
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Process start = new ProcessBuilder(script.toString(), "start", cluster, Integer.toString(base))
                    .redirectErrorStream(true).start();
            String uris = new String(start.getInputStream().readAllBytes()).strip();
            assertThat(start.waitFor()).as(uris).isZero();
            CommandLine cl = new CommandLine(new FleetBench());
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int exit = cl.execute("--terminals", "20", "--outage", "4", "--activity", "20", "--sites", "2",
                    "--drain-events", "1000", "--drain-rounds", "1", "--hub", uris,
                    "--broker-stop", c + "stop " + cluster, "--broker-start", c + "start " + cluster + " " + base,
                    "--work-dir", dir.resolve("fleet").toString());
            assertThat(exit).as(out + "\n" + err).isZero();
            List<String> lines = out.toString().lines().toList();
            Matcher m = LINE.matcher(lines.get(lines.size() - 1));
            assertThat(m.matches()).as(out.toString()).isTrue();
            assertThat(m.group(4)).as("events lost").isEqualTo("0");
            assertThat(out.toString()).contains("all drained").contains(" 0 lost, 0 out of order");
        } finally {
            new ProcessBuilder(script.toString(), "stop", cluster).inheritIO().start().waitFor();
        }
    }

    /** A base port whose 33 ports from it are free (the local cluster's layout). */
    static int freeBase() throws java.io.IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(400) * 100;
            boolean free = true;
            for (int p = base; p <= base + 32 && free; p++) {
                try (java.net.ServerSocket s = new java.net.ServerSocket(p, 1,
                        java.net.InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (java.io.IOException busy) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new java.io.IOException("no free range of 33 ports found");
    }

    @Test
    void badInputIsRefused() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new FleetBench());
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("--terminals", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--terminals");
    }
}
