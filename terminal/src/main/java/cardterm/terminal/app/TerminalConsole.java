package cardterm.terminal.app;

import cardterm.devices.health.DeviceHealth;
import cardterm.terminal.assist.CallSnapshot;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.console.ConsoleServer;
import cardterm.terminal.staff.Role;
import cardterm.terminal.store.Backlog;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * Serves the counter console for a running {@link TerminalService}: the same command dispatcher as
 * the hub door, the terminal's audit trail for sign-in events, and its state as the console's view
 * (hub link, outbox backlog, devices, open calls; calls are hidden from technicians).
 */
public final class TerminalConsole {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TerminalConsole() {
    }

    /** Starts the console of {@code t} on {@code settings}. */
    public static ConsoleServer start(TerminalService t, TerminalConfig.Console settings) throws IOException {
        return ConsoleServer.start(settings, t.config().staff(), t.hub().dispatcher(),
                (staffId, action, subject, detail) -> t.audit().record(staffId, action, subject, detail),
                role -> snapshot(t, role), t.config().terminal().timeZone() == null ? java.time.Clock.systemUTC()
                        : java.time.Clock.system(t.config().terminal().timeZone()));
    }

    /** How many of today's audit entries the console shows (the newest). */
    static final int AUDIT_SHOWN = 30;
    /** The audit trail as last read, by the seq it was read at: read again only when it grew. */
    private static final Map<TerminalService, Object[]> AUDIT_CACHE =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** Today's (terminal time zone) newest audit entries, newest first: who, what, on what, through which door. */
    static ArrayNode todaysAudit(TerminalService t) {
        long last = t.audit().lastSeq();
        Object[] cached = AUDIT_CACHE.get(t);
        if (cached != null && (Long) cached[0] == last) {
            return ((ArrayNode) cached[1]).deepCopy();
        }
        java.time.ZoneId zone = t.config().terminal().timeZone();
        java.time.LocalDate today = java.time.LocalDate.ofInstant(t.now(), zone);
        ArrayNode out = NODES.arrayNode();
        if (last > 0) {
            java.util.List<cardterm.terminal.audit.AuditEntry> entries = t.audit().read(Math.max(1, last - AUDIT_SHOWN + 1), last);
            for (int i = entries.size() - 1; i >= 0; i--) {
                cardterm.terminal.audit.AuditEntry e = entries.get(i);
                if (!java.time.LocalDate.ofInstant(e.at(), zone).equals(today)) {
                    continue;
                }
                ObjectNode a = out.addObject();
                a.put("at", e.at().toString());
                a.put("staffId", e.staffId());
                a.put("action", e.action());
                a.put("subject", e.subject());
                a.put("door", e.detail().path("door").asText(e.action().startsWith("command.") ? "hub" : ""));
            }
        }
        AUDIT_CACHE.put(t, new Object[] {last, out});
        return out.deepCopy();
    }

    static ObjectNode snapshot(TerminalService t, Role role) {
        Instant now = t.now();
        ObjectNode n = NODES.objectNode();
        n.put("terminal", t.config().terminal().id());
        n.put("timeZone", t.config().terminal().timeZone().getId());
        var hub = t.hub().status();
        ObjectNode h = n.putObject("hub");
        h.put("connected", hub.connected());
        h.put("since", hub.since().toString());
        h.put("reason", hub.reason());
        Backlog b = t.outbox().backlog();
        ObjectNode o = n.putObject("outbox");
        o.put("backlog", b.count());
        b.oldest().ifPresent(x -> o.put("oldest", x.toString()));
        ArrayNode devices = n.putArray("devices");
        for (Map.Entry<String, DeviceHealth> e : t.deviceHealthById().entrySet()) {
            ObjectNode d = devices.addObject();
            d.put("device", e.getKey());
            d.put("state", e.getValue().state().name());
            d.put("reason", e.getValue().reason().name());
            d.put("message", e.getValue().message());
            d.put("since", e.getValue().since().toString());
        }
        n.set("audit", todaysAudit(t));
        if (role.seesPersonalData()) {
            ArrayNode calls = n.putArray("calls");
            for (CallSnapshot c : t.assist().openCalls()) {
                ObjectNode call = c.toJson(now);
                call.remove("waitedMs"); // the page counts up from raisedAt: the snapshot changes only when a call does
                call.put("raisedAt", c.raisedAt().toString());
                calls.add(call);
            }
        }
        return n;
    }
}
