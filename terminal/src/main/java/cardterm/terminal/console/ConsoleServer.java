package cardterm.terminal.console;

import cardterm.terminal.command.CommandDispatcher;
import cardterm.terminal.command.CommandRequest;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
    public static final String CSRF_HEADER = WebDoor.CSRF_HEADER;
    /** What a technician may run. */
    static final Set<String> TECHNICIAN_COMMANDS = Set.of("printer-test", "diagnose");
    /** What staff and supervisors may run. */
    static final Set<String> STAFF_COMMANDS = Set.of("call-ack", "call-resolve", "issue", "cancel", "printer-test",
            "diagnose");
    /** Commands that act for a staff member: their {@code staffId} is the signed-in one. */
    private static final Set<String> ACTS_AS = Set.of("call-ack", "call-resolve", "issue", "cancel");
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

    private final WebDoor door;
    private final CommandDispatcher dispatcher;
    private final View view;
    private final Clock clock;

    private ConsoleServer(TerminalConfig.Console settings, StaffRegistry staff, CommandDispatcher dispatcher,
            AuditTrail audit, View view, Clock clock) throws IOException {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(audit, "audit");
        this.view = Objects.requireNonNull(view, "view");
        this.clock = Objects.requireNonNull(clock, "clock");
        WebDoor.Spec spec = new WebDoor.Spec(CommandRequest.CONSOLE, COOKIE, settings, ConsoleServer.class, STATIC,
                java.util.EnumSet.allOf(Role.class), (m, n) -> n.set("may", JSON.valueToTree(
                        m.role() == Role.TECHNICIAN ? TECHNICIAN_COMMANDS : STAFF_COMMANDS)));
        this.door = WebDoor.start(spec, staff, audit::record, this::api, clock);
    }

    /** Starts the console on {@code settings} (port 0: any free port). */
    public static ConsoleServer start(TerminalConfig.Console settings, StaffRegistry staff,
            CommandDispatcher dispatcher, AuditTrail audit, View view, Clock clock) throws IOException {
        return new ConsoleServer(settings, staff, dispatcher, audit, view, clock);
    }

    /** The console's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return door.uri();
    }

    /** How long {@link #start} took, in milliseconds. */
    public double startMillis() {
        return door.startMillis();
    }

    @Override
    public void close() {
        door.close();
    }

    private void api(HttpExchange ex, String method, String path, WebDoor.Visitor visitor) throws IOException {
        Sessions.Session s = visitor.session;
        if (method.equals("GET") && path.equals("/api/state")) {
            send(ex, 200, view.snapshot(s.role()));
        } else if (method.equals("GET") && path.equals("/api/events")) {
            events(ex, visitor);
        } else if (method.equals("GET") && FACE_PATH.matcher(path).matches()) {
            cardFace(ex, FACE_PATH.matcher(path).replaceFirst("$1"), s);
        } else if (method.equals("POST") && path.startsWith("/api/command/")) {
            command(ex, path.substring("/api/command/".length()), s);
        } else {
            send(ex, 404, error("NOT_FOUND", "no such request"));
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
    private void events(HttpExchange ex, WebDoor.Visitor v) throws IOException {
        door.stream(ex, v, () -> {
            try {
                return JSON.writeValueAsString(view.snapshot(v.role()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofMillis(50));
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

    private static String safe(String name) {
        return name.replaceAll("[^a-z0-9-]", "?");
    }

    private static ObjectNode error(String code, String message) {
        return WebDoor.error(code, message);
    }

    private static JsonNode readJson(HttpExchange ex) {
        return WebDoor.readJson(ex);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        WebDoor.send(ex, status, body);
    }
}
