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
