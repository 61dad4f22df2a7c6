package cardterm.terminal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.ExitCodes;
import cardterm.terminal.staff.PinHash;
import cardterm.terminal.testing.CliCapture;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cardterm monitor --serve}'s checks, before anything connects: a bad staff file gives
 * exit 2 with every problem in it, the same lines as {@code config check} would give for the
 * {@code staff:} section; another address than the loopback one without TLS gives exit 2. And
 * the command itself, in a JVM of its own, serving a terminal from a real mosquitto to a signed-in
 * technician.
 */
class MonitorServeCliTest {
    static final String HASH = PinHash.hash("1234".toCharArray());

    @TempDir
    Path dir;

    @Test
    void aBadStaffFileExits2WithEveryProblem() throws Exception {
        Path staff = dir.resolve("staff.yaml");
        Files.writeString(staff, """
                staff:
                  - {id: T0001, name: 周工, role: boss, pinHash: %1$s}
                  - {id: T0001, name: 周工二, role: technician, pinHash: "1234"}
                  - {id: "bad id", name: x, role: technician, pinHash: %1$s}
                stuff: 1
                """.formatted(HASH));
        CliCapture r = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--port", "0",
                "--staff", staff.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("staff[0].role:").contains("boss")
                .contains("staff[1].id: staff T0001 is already listed at staff[0]")
                .contains("staff[1].pinHash: must be pbkdf2-sha256")
                .contains("staff[2].id:")
                .contains("stuff: unknown key; did you mean 'staff'?")
                .doesNotContain("Exception");
        assertThat(r.errLines()).allMatch(l -> l.startsWith("cardterm monitor: --staff " + staff + ": "));
    }

    @Test
    void aStaffFileWithoutTechniciansOrWithoutStaffIsRefused() throws Exception {
        Path onlyStaff = dir.resolve("counter.yaml");
        Files.writeString(onlyStaff, "staff:\n  - {id: S1001, name: 王丽, role: staff, post: A, pinHash: " + HASH + "}\n");
        Path none = dir.resolve("none.yaml");
        Files.writeString(none, "terminal: {id: t-1, site: s-1}\n");
        CliCapture a = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff",
                onlyStaff.toString());
        assertThat(a.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(a.err()).contains("no technician or supervisor in it: nobody could sign in");
        CliCapture b = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff", none.toString());
        assertThat(b.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(b.err()).contains("staff: missing");
        CliCapture c = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve");
        assertThat(c.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(c.err()).contains("--serve needs --staff FILE");
    }

    @Test
    void anotherAddressThanLoopbackNeedsTlsAndEveryProblemIsToldAtOnce() throws Exception {
        Path staff = dir.resolve("staff.yaml");
        Files.writeString(staff, "staff:\n  - {id: T0001, name: 周工, role: technician, pinHash: " + HASH + "}\n");
        CliCapture r = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff",
                staff.toString(), "--bind", "0.0.0.0", "--once");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).containsExactlyInAnyOrder(
                "cardterm monitor: --serve serves a live page: --once and --json do not go with it",
                "cardterm monitor: --bind 0.0.0.0 (not the loopback address) needs TLS: give --tls-cert and "
                        + "--tls-key, or bind 127.0.0.1");
        CliCapture half = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff",
                staff.toString(), "--bind", "0.0.0.0", "--tls-cert", dir.resolve("nope.pem").toString());
        assertThat(half.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(half.err()).contains("--tls-cert and --tls-key come together").contains("needs TLS");
        CliCapture host = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff",
                staff.toString(), "--bind", "example.org");
        assertThat(host.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(host.err()).contains("--bind must be an IP address");
    }

    @Test
    void theCommandServesThePageToATechnician() throws Exception {
        Path staff = dir.resolve("staff.yaml");
        Files.writeString(staff, "staff:\n  - {id: T0001, name: 周工, role: technician, pinHash: " + HASH + "}\n"
                + "  - {id: S1001, name: 王丽, role: staff, post: A, pinHash: " + HASH + "}\n");
        try (Mosquitto broker = Mosquitto.startPlain(); MqttRecorder hub = MqttRecorder.start(broker.uri(), null)) {
            hub.publish("cardterm/v1/wz-lucheng-01/t-0042/state", "{\"online\":false,\"bdSeq\":4}"
                    .getBytes(StandardCharsets.UTF_8), 1, true);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    "cardterm.terminal.cli.CardtermMain", "monitor", "--broker", broker.uri(), "--serve", "--port", "0",
                    "--staff", staff.toString()).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8));
                Pattern at = Pattern.compile("fleet page on (http://127\\.0\\.0\\.1:\\d+/) .*");
                URI page = null;
                StringBuilder seen = new StringBuilder();
                for (String line; page == null && (line = out.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    Matcher m = at.matcher(line);
                    if (m.matches()) {
                        page = URI.create(m.group(1));
                    }
                }
                assertThat(page).as(seen.toString()).isNotNull();
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> refused = http.send(signIn(page, "S1001"), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).contains("\"ROLE\"").contains("supervisor and technician");
                HttpResponse<String> in = http.send(signIn(page, "T0001"), HttpResponse.BodyHandlers.ofString());
                assertThat(in.statusCode()).isEqualTo(200);
                String cookie = in.headers().firstValue("Set-Cookie").orElseThrow();
                assertThat(cookie).startsWith("cardterm_fleet=").contains("HttpOnly").contains("SameSite=Strict");
                HttpRequest ask = HttpRequest.newBuilder(page.resolve("/api/fleet")).header("Cookie",
                        cookie.split(";")[0]).GET().build();
                // the retained state comes just after the watcher subscribed
                HttpResponse<String> fleet = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> http.send(ask, HttpResponse.BodyHandlers.ofString()),
                                r -> r.body().contains("t-0042"));
                JsonNode j = new ObjectMapper().readTree(fleet.body());
                assertThat(j.path("rows").get(0).path("terminal").asText()).isEqualTo("t-0042");
                assertThat(j.path("rows").get(0).path("problem").asText()).isEqualTo("OFFLINE");
                assertThat(fleet.headers().firstValue("Cache-Control")).hasValue("no-store");
                HttpResponse<String> html = http.send(HttpRequest.newBuilder(page).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(html.headers().firstValue("Content-Security-Policy")).isPresent();
                assertThat(html.body()).contains("终端巡检");
            } finally {
                p.destroy();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    static HttpRequest signIn(URI page, String id) {
        return HttpRequest.newBuilder(page.resolve("/api/signin")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"staffId\":\"" + id + "\",\"pin\":\"1234\"}")).build();
    }
}
