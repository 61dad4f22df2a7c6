package cardterm.terminal.monitor;

import cardterm.terminal.Ids;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.console.WebDoor;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The technicians' fleet page ({@code cardterm monitor --serve}): every site's terminals from a
 * {@link FleetWatcher}, problems first, filtered by site and problem; one terminal's devices,
 * supplies, backlog and recent events ({@link RecentEvents}: subscribed while the page shows it);
 * live by server-sent events. The counter console's door ({@link WebDoor}: same sign-in, session,
 * CSRF and header rules) with the staff of a staff file; only technicians and supervisors may sign
 * in. Read-only: it sends no command. At most {@value #MAX_ROWS} rows go to a page (problems
 * first, so none is hidden behind healthy ones); the count says how many match.
 */
public final class FleetPageServer implements AutoCloseable {
    /** The session cookie's name. */
    public static final String COOKIE = "cardterm_fleet";
    /** Who may sign in. */
    public static final Set<Role> ADMITTED = EnumSet.of(Role.TECHNICIAN, Role.SUPERVISOR);
    /** Rows sent to a page at most. */
    public static final int MAX_ROWS = 500;
    private static final Duration POLL = Duration.ofMillis(250);
    /** A page that looked away is noticed within two of these: its terminal's events are let go. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(FleetPageServer.class);
    private static final Map<String, String> PAGES = Map.of(
            "/", "fleet.html",
            "/fleet.js", "fleet.js",
            "/fleet.css", "fleet.css",
            "/console.css", "/cardterm/terminal/console/console.css");

    private final WebDoor door;
    private final FleetView view;
    private final RecentEvents recent;
    private final Supplier<Optional<String>> lost;
    private final Clock clock;

    FleetPageServer(TerminalConfig.Console listen, StaffRegistry staff, FleetView view, RecentEvents recent,
            Supplier<Optional<String>> lost, Clock clock) throws IOException {
        this.view = view;
        this.recent = recent;
        this.lost = lost;
        this.clock = clock;
        WebDoor.Spec spec = new WebDoor.Spec("fleet", COOKIE, listen, FleetPageServer.class, PAGES, ADMITTED,
                (m, n) -> { });
        this.door = WebDoor.start(spec, staff, (id, action, subject, detail) -> log.info("{} {}", action, id),
                this::api, clock);
    }

    /** Serves the page for {@code watcher} (started without all events) on {@code listen}. */
    public static FleetPageServer start(TerminalConfig.Console listen, StaffRegistry staff, FleetWatcher watcher,
            Clock clock) throws IOException {
        RecentEvents recent = new RecentEvents(new RecentEvents.Subscriber() {
            @Override
            public void subscribe(String filter) throws Exception {
                watcher.subscribe(filter);
            }

            @Override
            public void unsubscribe(String filter) throws Exception {
                watcher.unsubscribe(filter);
            }
        });
        watcher.tap(recent::accept);
        return new FleetPageServer(listen, staff, watcher.view(), recent, watcher::lost, clock);
    }

    /** The page's address. */
    public URI uri() {
        return door.uri();
    }

    /** How many terminals' events are being kept (pages showing one terminal). */
    public int watched() {
        return recent.watched();
    }

    @Override
    public void close() {
        door.close();
    }

    /** What a page asked for: site and problem filters, and the terminal it shows. */
    record Ask(Optional<String> site, Optional<String> problem, Optional<String> terminalSite,
            Optional<String> terminal) {}

    private void api(HttpExchange ex, String method, String path, WebDoor.Visitor v) throws IOException {
        if (!method.equals("GET") || !(path.equals("/api/fleet") || path.equals("/api/events"))) {
            WebDoor.send(ex, 404, WebDoor.error("NOT_FOUND", "no such request"));
            return;
        }
        List<String> problems = new ArrayList<>();
        Ask ask = ask(ex.getRequestURI().getRawQuery(), problems);
        if (!problems.isEmpty()) {
            WebDoor.send(ex, 400, WebDoor.error("INVALID", String.join("; ", problems)));
            return;
        }
        Predicate<TerminalView> filter = ProblemFilter.parse(ask.problem().map(List::of).orElse(List.of()),
                new ArrayList<>());
        if (path.equals("/api/fleet")) {
            WebDoor.send(ex, 200, snapshot(ask, filter, List.of(), false));
            return;
        }
        Optional<RecentEvents.Watch> watch = ask.terminal().isPresent()
                ? recent.watch(ask.terminalSite().get(), ask.terminal().get()) : Optional.empty();
        try {
            boolean watching = watch.isPresent();
            long[] seen = {-1, -1};
            String[] last = {null};
            door.stream(ex, v, () -> {
                long changes = view.changes();
                long events = recent.changes();
                // looked at again when something changed, at most every POLL, however busy the fleet
                if (last[0] != null && changes == seen[0] && events == seen[1]) {
                    return last[0];
                }
                seen[0] = changes;
                seen[1] = events;
                List<RecentEvents.Event> evs = ask.terminal().isPresent()
                        ? recent.events(ask.terminalSite().get(), ask.terminal().get()) : List.of();
                try {
                    last[0] = JSON.writeValueAsString(snapshot(ask, filter, evs, watching));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                return last[0];
            }, POLL, KEEP_ALIVE);
        } finally {
            watch.ifPresent(RecentEvents.Watch::close);
        }
    }

    static Ask ask(String rawQuery, List<String> problems) {
        Map<String, String> q = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&", 10)) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String val = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!val.isEmpty()) {
                    q.put(k, val);
                }
            }
        }
        Optional<String> site = segment(q, "site", problems);
        Optional<String> problem = Optional.ofNullable(q.get("problem"));
        problem.ifPresent(p -> ProblemFilter.parse(List.of(p), problems));
        Optional<String> tsite = segment(q, "tsite", problems);
        Optional<String> terminal = segment(q, "terminal", problems);
        if (tsite.isPresent() != terminal.isPresent()) {
            problems.add("tsite and terminal come together");
        }
        return new Ask(site, problem, tsite, terminal);
    }

    private static Optional<String> segment(Map<String, String> q, String key, List<String> problems) {
        String v = q.get(key);
        if (v != null && !Ids.valid(v)) {
            problems.add(key + " must match " + Ids.SEGMENT.pattern());
            return Optional.empty();
        }
        return Optional.ofNullable(v);
    }

    private ObjectNode snapshot(Ask ask, Predicate<TerminalView> filter, List<RecentEvents.Event> events,
            boolean watching) {
        Instant now = clock.instant();
        List<TerminalView> all = view.terminals(Optional.empty());
        ObjectNode o = JSON.createObjectNode();
        o.put("ts", now.toString());
        o.put("zone", clock.getZone().getId());
        lost.get().ifPresentOrElse(l -> o.put("lost", l), () -> o.putNull("lost"));
        ArrayNode sites = o.putArray("sites");
        all.stream().map(TerminalView::site).distinct().sorted().forEach(sites::add);
        ObjectNode summary = o.putObject("summary");
        summary.put("terminals", all.size());
        summary.put("withProblems", all.stream().filter(TerminalView::hasProblems).count());
        summary.put("offline", all.stream().filter(t -> t.online().isPresent() && !t.online().get()).count());
        List<TerminalView> shown = all.stream().filter(t -> ask.site().isEmpty() || ask.site().get().equals(t.site()))
                .filter(filter).toList();
        o.put("matching", shown.size());
        ArrayNode rows = o.putArray("rows");
        for (TerminalView t : shown.subList(0, Math.min(MAX_ROWS, shown.size()))) {
            ObjectNode r = rows.addObject();
            r.put("site", t.site());
            r.put("terminal", t.terminal());
            t.online().ifPresentOrElse(on -> r.put("online", on), () -> r.putNull("online"));
            t.since().ifPresentOrElse(s -> r.put("since", s.toString()), () -> r.putNull("since"));
            if (t.problems().isEmpty()) {
                r.putNull("problem");
            } else {
                r.put("problem", t.problems().get(0));
            }
            r.put("problems", t.problems().size());
            if (t.backlog() >= 0) {
                r.put("backlog", t.backlog());
            } else {
                r.putNull("backlog");
            }
            if (t.oldestAgeMs() >= 0) {
                r.put("oldestAgeMs", t.oldestAgeMs());
            } else {
                r.putNull("oldestAgeMs");
            }
            r.put("duplicate", t.problems().stream().anyMatch(p -> p.startsWith("ID CLAIMED TWICE")));
        }
        if (ask.terminal().isPresent()) {
            Optional<TerminalView> t = view.terminal(ask.terminalSite().get(), ask.terminal().get());
            if (t.isPresent()) {
                ObjectNode sel = (ObjectNode) FleetTable.json(List.of(t.get()), now).path("terminals").get(0);
                sel.put("watching", watching);
                ArrayNode evs = sel.putArray("events");
                for (RecentEvents.Event e : events) {
                    ObjectNode en = evs.addObject();
                    en.put("type", e.type());
                    e.at().ifPresentOrElse(a -> en.put("ts", a.toString()), () -> en.putNull("ts"));
                    en.put("seq", e.seq());
                    en.put("summary", e.summary());
                }
                o.set("selected", sel);
            } else {
                o.putNull("selected");
            }
        } else {
            o.putNull("selected");
        }
        return o;
    }
}
