package cardterm.terminal.console;

import cardterm.terminal.command.CommandDispatcher;
import cardterm.terminal.command.CommandRequest;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.hub.PemTls;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counter console's door: a local web server (the JDK's own {@code com.sun.net.httpserver},
 * chosen by start time and memory, see the README) for the counter's screen. A signed-in staff
 * member's action becomes a {@link CommandRequest} ({@code console-<uuid>}, door
 * {@code console}, actor the staff id) for the same {@link CommandDispatcher} as the hub door, so
 * every check and the audit trail are the same. Sessions: cookie {@code HttpOnly},
 * {@code SameSite=Strict}, {@code Secure} under TLS; every state-changing request carries the
 * session's CSRF token in {@code X-CSRF-Token} (refused with 403 and nothing done otherwise).
 * Every response is {@code Cache-Control: no-store}; no personal data goes into a URL or a log
 * line (commands travel in request bodies; logs name the command and request id only).
 */
public final class ConsoleServer implements AutoCloseable {
    /** The session cookie's name. */
    public static final String COOKIE = "cardterm_console";
    /** The header carrying the CSRF token. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** What a technician may run. */
    static final Set<String> TECHNICIAN_COMMANDS = Set.of("printer-test", "diagnose");
    /** What staff and supervisors may run. */
    static final Set<String> STAFF_COMMANDS = Set.of("call-ack", "call-resolve", "issue", "cancel", "printer-test",
            "diagnose");
    /** Commands that act for a staff member: their {@code staffId} is the signed-in one. */
    private static final Set<String> ACTS_AS = Set.of("call-ack", "call-resolve", "issue", "cancel");
    private static final int MAX_BODY = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html",
            "/console.js", "console.js",
            "/console.css", "console.css");

    /** Where sign-in trouble goes: the terminal's audit trail. */
    @FunctionalInterface
    public interface AuditTrail {
        void record(String staffId, String action, String subject, ObjectNode detail);
    }

    /** What the console shows: a snapshot of the terminal for a role (no personal data for a technician). */
    @FunctionalInterface
    public interface View {
        ObjectNode snapshot(Role role);

        /** The card face of a queued or running job as a PNG, as the printer will get it. */
        default Optional<byte[]> cardFacePng(String jobId) {
            return Optional.empty();
        }
    }

    /** A job id in a path: the contract's job id pattern, nothing personal. */
    private static final java.util.regex.Pattern FACE_PATH =
            java.util.regex.Pattern.compile("/api/jobs/([A-Za-z0-9._:-]{1,64})/face\\.png");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Sessions sessions;
    private final CommandDispatcher dispatcher;
    private final AuditTrail audit;
    private final View view;
    private final Clock clock;
    private final boolean tls;
    private final long startNanos;
    private volatile long startedNanos;
    private volatile boolean closed;

    private ConsoleServer(TerminalConfig.Console settings, StaffRegistry staff, CommandDispatcher dispatcher,
            AuditTrail audit, View view, Clock clock) throws IOException {
        this.startNanos = System.nanoTime();
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.view = Objects.requireNonNull(view, "view");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessions = new Sessions(staff, settings.idleTimeout(), clock);
        this.tls = settings.tls();
        InetSocketAddress at = new InetSocketAddress(settings.bind(), settings.port());
        if (tls) {
            HttpsServer s = HttpsServer.create(at, 50);
            try {
                s.setHttpsConfigurator(new HttpsConfigurator(PemTls.context(null, settings.certFile(),
                        settings.keyFile())));
            } catch (PemTls.TlsFileException e) {
                s.stop(0);
                throw new IOException("console TLS: " + e.getMessage(), e);
            }
            server = s;
        } else {
            server = HttpServer.create(at, 50);
        }
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("console-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts the console on {@code settings} (port 0: any free port). */
    public static ConsoleServer start(TerminalConfig.Console settings, StaffRegistry staff,
            CommandDispatcher dispatcher, AuditTrail audit, View view, Clock clock) throws IOException {
        ConsoleServer s = new ConsoleServer(settings, staff, dispatcher, audit, view, clock);
        s.server.start();
        s.startedNanos = System.nanoTime();
        log.info("console listening on {}", s.uri());
        return s;
    }

    /** The console's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + a.getPort() + "/");
    }

    /** How long {@link #start} took, in milliseconds. */
    public double startMillis() {
        return (startedNanos - startNanos) / 1e6;
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            ex.getResponseHeaders().set("X-Frame-Options", "DENY");
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (method.equals("GET") && STATIC.containsKey(path)) {
                serveStatic(ex, STATIC.get(path));
            } else if (method.equals("POST") && path.equals("/api/signin")) {
                signIn(ex);
            } else if (path.startsWith("/api/")) {
                Optional<Sessions.Session> s = sessions.find(cookie(ex));
                if (s.isEmpty()) {
                    send(ex, 401, error("SIGNED_OUT", "not signed in (or the session ended): sign in again"));
                    return;
                }
                if (method.equals("POST") && !csrfOk(ex, s.get())) {
                    send(ex, 403, error("CSRF", "the request lacks this session's token: reload the page"));
                    return;
                }
                api(ex, method, path, s.get());
            } else {
                send(ex, 404, error("NOT_FOUND", "no such page"));
            }
        } catch (RuntimeException e) {
            log.warn("console request failed: {}", e.toString());
        }
    }

    private void api(HttpExchange ex, String method, String path, Sessions.Session s) throws IOException {
        if (method.equals("GET") && path.equals("/api/me")) {
            send(ex, 200, me(s));
        } else if (method.equals("GET") && path.equals("/api/state")) {
            send(ex, 200, view.snapshot(s.role()));
        } else if (method.equals("GET") && path.equals("/api/events")) {
            events(ex, s);
        } else if (method.equals("GET") && FACE_PATH.matcher(path).matches()) {
            cardFace(ex, FACE_PATH.matcher(path).replaceFirst("$1"), s);
        } else if (method.equals("POST") && path.equals("/api/signout")) {
            sessions.signOut(s.id);
            ex.getResponseHeaders().add("Set-Cookie", cookieHeader("", 0));
            send(ex, 200, JSON.createObjectNode().put("ok", true));
        } else if (method.equals("POST") && path.startsWith("/api/command/")) {
            command(ex, path.substring("/api/command/".length()), s);
        } else {
            send(ex, 404, error("NOT_FOUND", "no such request"));
        }
    }

    private void signIn(HttpExchange ex) throws IOException {
        JsonNode body = readJson(ex);
        if (body == null || !body.path("staffId").isTextual() || !body.path("pin").isTextual()) {
            send(ex, 400, error("INVALID", "give a staff id and a PIN"));
            return;
        }
        String staffId = body.get("staffId").asText();
        char[] pin = body.get("pin").asText().toCharArray();
        Sessions.SignIn r;
        try {
            r = sessions.signIn(staffId, pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
        switch (r) {
            case Sessions.SignIn.Ok ok -> {
                ex.getResponseHeaders().add("Set-Cookie", cookieHeader(ok.session().id, -1));
                audit.record(ok.session().staff.id(), "console.signin", ok.session().staff.id(), door());
                send(ex, 200, me(ok.session()));
            }
            case Sessions.SignIn.Wrong w -> {
                if (w.locked()) {
                    ObjectNode d = door().put("failures", Sessions.MAX_FAILURES)
                            .put("lockedMinutes", Sessions.LOCK_TIME.toMinutes());
                    audit.record(auditId(staffId), "console.signin.locked", auditId(staffId), d);
                    log.warn("console sign-in locked for {} min after {} wrong PINs", Sessions.LOCK_TIME.toMinutes(),
                            Sessions.MAX_FAILURES);
                    send(ex, 423, error("LOCKED", "5 wrong PINs: this staff id is locked for 5 minutes")
                            .put("lockedMinutes", Sessions.LOCK_TIME.toMinutes()));
                } else {
                    send(ex, 401, error("WRONG_PIN", "staff id or PIN is wrong; " + w.left()
                            + " tries left before the id is locked for 5 minutes").put("left", w.left()));
                }
            }
            case Sessions.SignIn.Locked l -> send(ex, 423, error("LOCKED",
                    "this staff id is locked after 5 wrong PINs; try again in "
                            + Math.max(1, Duration.between(clock.instant(), l.until()).toSeconds() / 60 + 1)
                            + " minutes").put("lockedMinutes", Sessions.LOCK_TIME.toMinutes()));
        }
    }

    private void command(HttpExchange ex, String name, Sessions.Session s) throws IOException {
        Set<String> allowed = s.role() == Role.TECHNICIAN ? TECHNICIAN_COMMANDS : STAFF_COMMANDS;
        if (!allowed.contains(name)) {
            send(ex, 403, error("FORBIDDEN", "your role (" + s.role().configName() + ") may not run " + safe(name)));
            return;
        }
        JsonNode body = readJson(ex);
        if (!(body instanceof ObjectNode args)) {
            send(ex, 400, error("INVALID", "the command's arguments must be a JSON object"));
            return;
        }
        if (ACTS_AS.contains(name)) {
            args.put("staffId", s.staff.id());
        }
        String requestId = "console-" + UUID.randomUUID();
        CommandRequest request = new CommandRequest(requestId, clock.instant(), name, args, CommandRequest.CONSOLE,
                s.staff.id());
        log.info("console command {} ({})", name, requestId);
        send(ex, 200, dispatcher.dispatch(request));
    }

    /** Server-sent events: the snapshot each time it changes (checked every 50 ms), and a comment every 15 s. */
    private void events(HttpExchange ex, Sessions.Session s) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String last = null;
        long lastWrite = System.nanoTime();
        try {
            while (!closed && sessions.isLive(s)) {
                String now = JSON.writeValueAsString(view.snapshot(s.role()));
                if (!now.equals(last)) {
                    out.write(("event: state\ndata: " + now + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    last = now;
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > 15_000_000_000L) {
                    out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = System.nanoTime();
                }
                Thread.sleep(50);
            }
        } catch (IOException | InterruptedException gone) {
            // the page went away or the console stops
        }
    }

    /** The card face PNG of a queued or running job: personal data, so only for a role that sees it. */
    private void cardFace(HttpExchange ex, String jobId, Sessions.Session s) throws IOException {
        if (!s.role().seesPersonalData()) {
            send(ex, 403, error("FORBIDDEN", "your role (" + s.role().configName() + ") does not see card faces"));
            return;
        }
        Optional<byte[]> png = view.cardFacePng(jobId);
        if (png.isEmpty()) {
            send(ex, 404, error("NOT_FOUND", "no queued or running job " + jobId + " to show"));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "image/png");
        ex.sendResponseHeaders(200, png.get().length);
        ex.getResponseBody().write(png.get());
    }

    private boolean csrfOk(HttpExchange ex, Sessions.Session s) {
        String t = ex.getRequestHeaders().getFirst(CSRF_HEADER);
        return t != null && java.security.MessageDigest.isEqual(t.getBytes(StandardCharsets.US_ASCII),
                s.csrf.getBytes(StandardCharsets.US_ASCII));
    }

    private ObjectNode me(Sessions.Session s) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode st = n.putObject("staff");
        st.put("id", s.staff.id());
        st.put("name", s.staff.name());
        st.put("role", s.role().configName());
        if (s.staff.post() != null) {
            st.put("post", s.staff.post());
        }
        n.put("csrf", s.csrf);
        n.set("may", JSON.valueToTree(s.role() == Role.TECHNICIAN ? TECHNICIAN_COMMANDS : STAFF_COMMANDS));
        return n;
    }

    private String cookieHeader(String value, int maxAge) {
        return COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    private static String cookie(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    private static JsonNode readJson(HttpExchange ex) {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return null; // a cross-site form cannot send JSON without the browser asking first
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            return b.length > MAX_BODY ? null : JSON.readTree(b);
        } catch (IOException e) {
            return null;
        }
    }

    private static ObjectNode door() {
        return JSON.createObjectNode().put("door", CommandRequest.CONSOLE);
    }

    private static String auditId(String staffId) {
        return staffId != null && cardterm.terminal.audit.AuditEntry.STAFF_ID.matcher(staffId).matches()
                ? staffId : cardterm.terminal.audit.AuditEntry.HUB;
    }

    private static String safe(String name) {
        return name.replaceAll("[^a-z0-9-]", "?");
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ok", false);
        n.putObject("error").put("code", code).put("message", message);
        return n;
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void serveStatic(HttpExchange ex, String name) throws IOException {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(name)) {
            if (in == null) {
                send(ex, 404, error("NOT_FOUND", "no such page"));
                return;
            }
            byte[] b = in.readAllBytes();
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; frame-ancestors 'none'");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        }
    }
}
