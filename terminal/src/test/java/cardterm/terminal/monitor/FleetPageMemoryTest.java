package cardterm.terminal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.staff.PinHash;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffMember;
import cardterm.terminal.staff.StaffRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 10,000 terminals fit the fleet page in a 256 MB heap: a JVM of its own ({@code -Xmx256m}) takes
 * every terminal's retained state and health (four devices, two supplies, as a terminal publishes
 * them), serves the page and answers a signed-in technician's snapshot of the whole fleet ten
 * times. It fails by running out of memory (or by a heap after GC over 200 MB).
 */
class FleetPageMemoryTest {
    static final int TERMINALS = 10_000;

    @Test
    void tenThousandTerminalsFitIn256Mb() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FleetPageMemoryTest.class.getName()).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.println(out.strip());
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("terminals=" + TERMINALS);
    }

    /** The forked JVM. */
    public static void main(String[] args) throws Exception {
        FleetView view = new FleetView();
        for (int i = 0; i < TERMINALS; i++) {
            String site = "site-" + (i / 100);
            String t = "t-" + i;
            String root = "cardterm/v1/" + site + "/" + t + "/";
            Instant now = Instant.now();
            view.accept(root + "state", ("{\"online\":true,\"bdSeq\":3,\"ts\":\"" + now + "\",\"version\":\"1.4.0\","
                    + "\"startedAt\":\"" + now + "\"}").getBytes(StandardCharsets.UTF_8), now);
            String dev = "{\"state\":\"%s\",\"reason\":\"%s\",\"message\":\"%s\",\"since\":\"" + now + "\"}";
            String health = "{\"ts\":\"" + now + "\",\"status\":\"ONLINE\",\"devices\":{"
                    + "\"printer\":" + dev.formatted(i % 97 == 0 ? "DEGRADED" : "ONLINE", i % 97 == 0 ? "JAM" : "OK",
                            i % 97 == 0 ? "card stuck at the exit" : "ready")
                    + ",\"encoder\":" + dev.formatted("ONLINE", "OK", "reader ACS ACR39U 00 00")
                    + ",\"sam\":" + dev.formatted("ONLINE", "OK", "reader ACS ACR39U 01 00")
                    + ",\"buttons\":" + dev.formatted("ONLINE", "OK", "4 buttons") + "},"
                    + "\"supplies\":[{\"device\":\"printer\",\"supply\":\"ribbon\",\"level\":\"ok\",\"left\":480},"
                    + "{\"device\":\"printer\",\"supply\":\"cards\",\"level\":\"ok\",\"left\":200}],"
                    + "\"outbox\":{\"backlog\":0,\"oldestAgeMs\":null},"
                    + "\"system\":{\"uptimeMs\":3600000,\"cpuTempC\":51.5,\"load1\":0.4,\"diskFreeMb\":12000,"
                    + "\"memAvailableMb\":1400,\"heapUsedMb\":60},"
                    + "\"broker\":{\"connected\":true,\"since\":\"" + now + "\",\"reconnects\":0,\"lastError\":null}}";
            view.accept(root + "health", health.getBytes(StandardCharsets.UTF_8), now);
        }
        String hash = PinHash.hash("1234".toCharArray());
        StaffRegistry staff = StaffRegistry.of(List.of(new StaffMember("T0001", "周工", Role.TECHNICIAN, null, hash)));
        RecentEvents recent = new RecentEvents(new RecentEvents.Subscriber() {
            @Override
            public void subscribe(String filter) {}

            @Override
            public void unsubscribe(String filter) {}
        });
        try (FleetPageServer page = new FleetPageServer(TerminalConfig.Console.DEFAULT.withPort(0), staff, view,
                recent, Optional::empty, Clock.systemUTC())) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> in = http.send(HttpRequest.newBuilder(page.uri().resolve("/api/signin"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"staffId\":\"T0001\",\"pin\":\"1234\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = in.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            JsonNode last = null;
            long bytes = 0;
            long t0 = System.nanoTime();
            for (int k = 0; k < 10; k++) {
                URI u = page.uri().resolve("/api/fleet?tsite=site-0&terminal=t-0");
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(u).header("Cookie", cookie).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new AssertionError(r.statusCode() + " " + r.body());
                }
                bytes = r.body().length();
                last = new ObjectMapper().readTree(r.body());
            }
            long msEach = (System.nanoTime() - t0) / 10_000_000;
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long usedMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
            System.out.printf("terminals=%d rows=%d withProblems=%d snapshotKB=%d heapAfterGcMB=%d maxHeapMB=%d snapshotMs=%d%n",
                    last.path("summary").path("terminals").asInt(), last.path("rows").size(),
                    last.path("summary").path("withProblems").asInt(), bytes / 1024, usedMb,
                    rt.maxMemory() / (1024 * 1024), msEach);
            if (usedMb > 200) {
                throw new AssertionError("heap after GC " + usedMb + " MB: too close to 256 MB");
            }
        }
    }
}
