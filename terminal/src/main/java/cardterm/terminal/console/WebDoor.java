package cardterm.terminal.console;

import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.hub.PemTls;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffMember;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the web doors for staff have in common (the counter console, the technicians' fleet page):
 * the JDK's own web server on an address (TLS when {@code certFile}/{@code keyFile} are set),
 * sign-in by staff id and PIN from a staff registry ({@link Sessions}: idle timeout, 5 wrong PINs
 * lock), only for the roles a door admits; a session cookie {@code HttpOnly},
 * {@code SameSite=Strict}, {@code Secure} under TLS; the session's CSRF token in
 * {@value #CSRF_HEADER} on every POST (403 and nothing done otherwise); {@code no-store} and a
 * strict content security policy on everything; static pages from the jar; JSON answers; and a
 * server-sent-events loop. What a door offers beyond that is its {@link Api}.
 */
public final class WebDoor implements AutoCloseable {
    /** The header carrying the CSRF token. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final int MAX_BODY = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(WebDoor.class);

    /** Where sign-in trouble goes (the terminal's audit trail, or a log). */
    @FunctionalInterface
    public interface Audit {
        void record(String staffId, String action, String subject, ObjectNode detail);
    }

    /** A door's own requests under {@code /api/}, for a signed-in member (POSTs carry the CSRF token). */
    @FunctionalInterface
    public interface Api {
        void handle(HttpExchange ex, String method, String path, Visitor visitor) throws IOException;
    }

    /**
     * What makes a door.
     *
     * @param name the door's name: threads, logs and audit actions ({@code NAME.signin})
     * @param cookie the session cookie's name
     * @param listen address, port, idle timeout and TLS files
     * @param resources the class next to whose package the static files lie
     * @param pages request path to file name, e.g. {@code "/" -> "index.html"}
     * @param admitted the roles that may sign in
     * @param me what {@code /api/me} adds for a member (besides staff and csrf)
     */
    public record Spec(String name, String cookie, TerminalConfig.Console listen, Class<?> resources,
            Map<String, String> pages, Set<Role> admitted, BiConsumer<StaffMember, ObjectNode> me) {
        public Spec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(cookie, "cookie");
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(resources, "resources");
            pages = Map.copyOf(pages);
            admitted = Set.copyOf(admitted);
            Objects.requireNonNull(me, "me");
        }
    }

    /** A signed-in member making a request. */
    public static final class Visitor {
        final Sessions.Session session;

        Visitor(Sessions.Session session) {
            this.session = session;
        }

        public StaffMember staff() {
            return session.staff;
        }

        public Role role() {
            return session.role();
        }
    }

    private final Spec spec;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Sessions sessions;
    private final Audit audit;
    private final Api api;
    private final Clock clock;
    private final boolean tls;
    private final long startNanos;
    private volatile long startedNanos;
    private volatile boolean closed;

    private WebDoor(Spec spec, StaffRegistry staff, Audit audit, Api api, Clock clock) throws IOException {
        this.startNanos = System.nanoTime();
        this.spec = spec;
        this.audit = Objects.requireNonNull(audit, "audit");
        this.api = Objects.requireNonNull(api, "api");
        this.clock = Objects.requireNonNull(clock, "clock");
        TerminalConfig.Console settings = spec.listen();
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
                throw new IOException(spec.name() + " TLS: " + e.getMessage(), e);
            }
            server = s;
        } else {
            server = HttpServer.create(at, 50);
        }
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(spec.name() + "-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts a door (port 0: any free port). */
    public static WebDoor start(Spec spec, StaffRegistry staff, Audit audit, Api api, Clock clock) throws IOException {
        WebDoor d = new WebDoor(spec, staff, audit, api, clock);
        d.server.start();
        d.startedNanos = System.nanoTime();
        log.info("{} listening on {}", spec.name(), d.uri());
        return d;
    }

    /** The door's address, e.g. {@code http://127.0.0.1:8080/}. */
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
            if (method.equals("GET") && spec.pages().containsKey(path)) {
                serveStatic(ex, spec.pages().get(path));
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
                if (method.equals("GET") && path.equals("/api/me")) {
                    send(ex, 200, me(s.get()));
                } else if (method.equals("POST") && path.equals("/api/signout")) {
                    sessions.signOut(s.get().id);
                    ex.getResponseHeaders().add("Set-Cookie", cookieHeader("", 0));
                    send(ex, 200, JSON.createObjectNode().put("ok", true));
                } else {
                    api.handle(ex, method, path, new Visitor(s.get()));
                }
            } else {
                send(ex, 404, error("NOT_FOUND", "no such page"));
            }
        } catch (RuntimeException e) {
            log.warn("{} request failed: {}", spec.name(), e.toString());
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
            r = sessions.signIn(staffId, pin, spec.admitted());
        } finally {
            Arrays.fill(pin, '\0');
        }
        switch (r) {
            case Sessions.SignIn.Ok ok -> {
                ex.getResponseHeaders().add("Set-Cookie", cookieHeader(ok.session().id, -1));
                audit.record(ok.session().staff.id(), spec.name() + ".signin", ok.session().staff.id(), door());
                send(ex, 200, me(ok.session()));
            }
            case Sessions.SignIn.Refused no -> {
                audit.record(no.staff().id(), spec.name() + ".signin.refused", no.staff().id(),
                        door().put("role", no.staff().role().configName()));
                send(ex, 403, error("ROLE", "your role (" + no.staff().role().configName() + ") may not sign in here; "
                        + "this page is for " + String.join(" and ", spec.admitted().stream().sorted()
                                .map(Role::configName).toList())));
            }
            case Sessions.SignIn.Wrong w -> {
                if (w.locked()) {
                    ObjectNode d = door().put("failures", Sessions.MAX_FAILURES)
                            .put("lockedMinutes", Sessions.LOCK_TIME.toMinutes());
                    audit.record(auditId(staffId), spec.name() + ".signin.locked", auditId(staffId), d);
                    log.warn("{} sign-in locked for {} min after {} wrong PINs", spec.name(),
                            Sessions.LOCK_TIME.toMinutes(), Sessions.MAX_FAILURES);
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

    /**
     * Server-sent events: {@code snapshot} as event {@code state} each time it changes (looked at
     * every {@code poll}), and a comment every 15 s; until the page goes, the session ends or the
     * door closes.
     */
    public void stream(HttpExchange ex, Visitor v, Supplier<String> snapshot, Duration poll) throws IOException {
        stream(ex, v, snapshot, poll, Duration.ofSeconds(15));
    }

    /**
     * {@link #stream(HttpExchange, Visitor, Supplier, Duration)} with a comment every
     * {@code keepAlive} when nothing changed: a page gone is noticed by the write failing, at the
     * latest after two of them.
     */
    public void stream(HttpExchange ex, Visitor v, Supplier<String> snapshot, Duration poll, Duration keepAlive)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String last = null;
        long lastWrite = System.nanoTime();
        try {
            while (!closed && sessions.isLive(v.session)) {
                String now = snapshot.get();
                if (!now.equals(last)) {
                    out.write(("event: state\ndata: " + now + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    last = now;
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite > keepAlive.toNanos()) {
                    out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = System.nanoTime();
                }
                Thread.sleep(poll);
            }
        } catch (IOException | InterruptedException gone) {
            // the page went away or the door closes
        }
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
        spec.me().accept(s.staff, n);
        return n;
    }

    private String cookieHeader(String value, int maxAge) {
        return spec.cookie() + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    private String cookie(HttpExchange ex) {
        String name = spec.cookie() + "=";
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(name)) {
                    return p.substring(name.length());
                }
            }
        }
        return null;
    }

    private ObjectNode door() {
        return JSON.createObjectNode().put("door", spec.name());
    }

    private static String auditId(String staffId) {
        return staffId != null && cardterm.terminal.audit.AuditEntry.STAFF_ID.matcher(staffId).matches()
                ? staffId : cardterm.terminal.audit.AuditEntry.HUB;
    }

    /** The body as JSON, or null when it is not JSON (or too large). */
    public static JsonNode readJson(HttpExchange ex) {
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

    /** {@code {"ok":false,"error":{"code","message"}}}. */
    public static ObjectNode error(String code, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ok", false);
        n.putObject("error").put("code", code).put("message", message);
        return n;
    }

    /** Sends {@code body} as JSON with {@code status}. */
    public static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private void serveStatic(HttpExchange ex, String name) throws IOException {
        try (InputStream in = spec.resources().getResourceAsStream(name)) {
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
