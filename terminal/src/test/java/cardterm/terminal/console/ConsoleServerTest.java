package cardterm.terminal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.command.CommandDispatcher;
import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.command.CommandRequest;
import cardterm.terminal.command.CommandResult;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.staff.PinHash;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffMember;
import cardterm.terminal.staff.StaffRegistry;
import cardterm.terminal.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console door over real HTTP: sign-in, sessions, CSRF, the lock, roles, the same dispatcher as the hub's. */
class ConsoleServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HASH = PinHash.hash("1234".toCharArray());
    final TestClock clock = TestClock.shanghai();
    final List<EventEnvelope> events = Collections.synchronizedList(new ArrayList<>());
    final EventSink sink = (type, data) -> {
        EventEnvelope e = new EventEnvelope("id-" + events.size(), events.size() + 1, OffsetDateTime.now(clock), type,
                "t-0042", "s", data);
        events.add(e);
        return e;
    };
    final List<String> audit = new CopyOnWriteArrayList<>();
    final List<CommandRequest> handled = new CopyOnWriteArrayList<>();
    final AtomicReference<String> shown = new AtomicReference<>("first");
    final AtomicInteger views = new AtomicInteger();
    final StaffRegistry staff = StaffRegistry.of(List.of(
            new StaffMember("S1001", "王丽", Role.STAFF, "A", HASH),
            new StaffMember("T0001", "周工", Role.TECHNICIAN, null, HASH)));
    final HttpClient http = HttpClient.newHttpClient();
    ConsoleServer server;

    @BeforeEach
    void start() throws Exception {
        CommandRegistry registry = new CommandRegistry();
        for (String name : List.of("call-ack", "printer-test", "log-level")) {
            registry.register(name, r -> {
                handled.add(r);
                return CommandResult.ok(JSON.createObjectNode().put("done", name));
            });
        }
        server = ConsoleServer.start(TerminalConfig.Console.DEFAULT.withPort(0), staff,
                new CommandDispatcher(registry, sink, staff),
                (id, action, subject, detail) -> audit.add(id + " " + action + " " + detail),
                role -> {
                    views.incrementAndGet();
                    ObjectNode n = JSON.createObjectNode().put("shown", shown.get());
                    if (role.seesPersonalData()) {
                        n.putArray("calls");
                    }
                    return n;
                }, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    record Signed(String cookie, String csrf, HttpResponse<String> response) {}

    HttpResponse<String> post(String path, String body, String cookie, String csrf) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrf != null) {
            b.header(ConsoleServer.CSRF_HEADER, csrf);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    Signed signIn(String id, String pin) throws Exception {
        HttpResponse<String> r = post("/api/signin", "{\"staffId\":\"" + id + "\",\"pin\":\"" + pin + "\"}", null, null);
        String setCookie = r.headers().firstValue("Set-Cookie").orElse(null);
        String cookie = setCookie == null ? null : setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = r.statusCode() == 200 ? JSON.readTree(r.body()).get("csrf").asText() : null;
        return new Signed(cookie, csrf, r);
    }

    @Test
    void listensOnLoopbackAndServesThePageFromTheJar() throws Exception {
        assertThat(server.uri().toString()).startsWith("http://127.0.0.1:");
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("lang=\"zh-CN\"").contains("/console.js");
        assertThat(get("/console.js", null).statusCode()).isEqualTo(200);
        assertThat(get("/api/state", null).statusCode()).isEqualTo(401);
    }

    @Test
    void signInGivesAStrictHttpOnlyCookieAndNoStoreResponses() throws Exception {
        Signed s = signIn("S1001", "1234");
        assertThat(s.response().statusCode()).isEqualTo(200);
        String setCookie = s.response().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure")
                .doesNotContain("1234");
        assertThat(s.response().headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode me = JSON.readTree(get("/api/me", s.cookie()).body());
        assertThat(me.at("/staff/name").asText()).isEqualTo("王丽");
        HttpResponse<String> state = get("/api/state", s.cookie());
        assertThat(state.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(audit).anySatisfy(a -> assertThat(a).startsWith("S1001 console.signin"));

        assertThat(post("/api/signout", "{}", s.cookie(), s.csrf()).statusCode()).isEqualTo(200);
        assertThat(get("/api/state", s.cookie()).statusCode()).isEqualTo(401);
    }

    @Test
    void aCommandWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        Signed s = signIn("S1001", "1234");
        assertThat(post("/api/command/call-ack", "{\"callId\":\"C-1\"}", s.cookie(), null).statusCode()).isEqualTo(403);
        assertThat(post("/api/command/call-ack", "{\"callId\":\"C-1\"}", s.cookie(), "forged").statusCode())
                .isEqualTo(403);
        assertThat(post("/api/signout", "{}", s.cookie(), null).statusCode()).isEqualTo(403);
        assertThat(handled).isEmpty();
        assertThat(events).isEmpty();
        assertThat(get("/api/me", s.cookie()).statusCode()).as("still signed in").isEqualTo(200);
    }

    @Test
    void aCommandGoesThroughTheSameDispatcherAsTheConsoleDoorActingAsTheSignedInStaff() throws Exception {
        Signed s = signIn("S1001", "1234");
        HttpResponse<String> r = post("/api/command/call-ack", "{\"callId\":\"C-1\",\"staffId\":\"S9999\"}",
                s.cookie(), s.csrf());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("ok").asBoolean()).isTrue();
        CommandRequest req = handled.get(0);
        assertThat(req.requestId()).startsWith("console-");
        assertThat(req.door()).isEqualTo("console");
        assertThat(req.actor()).isEqualTo("S1001");
        assertThat(req.args().get("staffId").asText()).as("acts as the signed-in staff").isEqualTo("S1001");
        EventEnvelope e = events.get(0);
        assertThat(e.type()).isEqualTo(CommandDispatcher.AUDIT_EXECUTED);
        assertThat(e.data().get("door").asText()).isEqualTo("console");
        assertThat(e.data().get("staffId").asText()).isEqualTo("S1001");

        assertThat(post("/api/command/log-level", "{}", s.cookie(), s.csrf()).statusCode())
                .as("hub-only commands are not offered at the console").isEqualTo(403);
    }

    @Test
    void aTechnicianRunsTheTestCardButSeesNoCallsAndActsOnNone() throws Exception {
        Signed t = signIn("T0001", "1234");
        assertThat(JSON.readTree(get("/api/state", t.cookie()).body()).has("calls")).isFalse();
        assertThat(post("/api/command/call-ack", "{\"callId\":\"C-1\"}", t.cookie(), t.csrf()).statusCode())
                .isEqualTo(403);
        assertThat(post("/api/command/printer-test", "{}", t.cookie(), t.csrf()).statusCode()).isEqualTo(200);
        assertThat(handled).extracting(CommandRequest::name).containsExactly("printer-test");
        assertThat(events.get(0).data().get("staffId").asText()).isEqualTo("T0001");
    }

    @Test
    void fiveWrongPinsLockTheIdForFiveMinutesWithAnAuditEvent() throws Exception {
        for (int i = 1; i <= 4; i++) {
            HttpResponse<String> r = signIn("S1001", "0000").response();
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(r.body()).get("left").asInt()).isEqualTo(5 - i);
        }
        assertThat(audit).noneSatisfy(a -> assertThat(a).contains("locked"));
        assertThat(signIn("S1001", "0000").response().statusCode()).isEqualTo(423);
        assertThat(audit).anySatisfy(a -> assertThat(a).startsWith("S1001 console.signin.locked"));
        assertThat(signIn("S1001", "1234").response().statusCode()).as("the right PIN while locked").isEqualTo(423);
        assertThat(signIn("T0001", "1234").response().statusCode()).as("other ids are not locked").isEqualTo(200);
        clock.advance(Duration.ofMinutes(5));
        assertThat(signIn("S1001", "1234").response().statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionEndsAfterTenIdleMinutes() throws Exception {
        Signed s = signIn("S1001", "1234");
        clock.advance(Duration.ofMinutes(9));
        assertThat(get("/api/me", s.cookie()).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(9));
        assertThat(get("/api/me", s.cookie()).statusCode()).as("the idle time restarts at each request").isEqualTo(200);
        clock.advance(Duration.ofMinutes(10));
        assertThat(get("/api/me", s.cookie()).statusCode()).isEqualTo(401);
    }

    @Test
    void theLiveViewPushesAChangeWithin250ms() throws Exception {
        Signed s = signIn("S1001", "1234");
        HttpRequest req = HttpRequest.newBuilder(server.uri().resolve("/api/events")).header("Cookie", s.cookie()).GET()
                .build();
        HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String> data = new CopyOnWriteArrayList<>();
        List<Long> at = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("data: ")) {
                        data.add(line.substring(6));
                        at.add(System.nanoTime());
                    }
                }
            } catch (Exception gone) {
                // closed
            }
        });
        await().atMost(Duration.ofSeconds(2)).until(() -> data.size() == 1);
        assertThat(data.get(0)).contains("\"shown\":\"first\"");
        long changed = System.nanoTime();
        shown.set("second");
        await().atMost(Duration.ofSeconds(2)).until(() -> data.size() == 2);
        assertThat(data.get(1)).contains("\"shown\":\"second\"");
        assertThat((at.get(1) - changed) / 1e6).isLessThan(250);
        server.close();
        reader.join(2000);
    }
}
