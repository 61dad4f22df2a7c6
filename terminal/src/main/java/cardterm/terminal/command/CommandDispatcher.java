package cardterm.terminal.command;

import cardterm.terminal.event.EventSink;
import cardterm.terminal.event.SafeText;
import cardterm.terminal.staff.StaffRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one checked command to its reply, whichever door it came in by: runs its handler and
 * reports to the audit trail. A refused command (by its door's guard, for an unknown name, or by
 * its handler as {@code INVALID}) has no other effect than its reply and one
 * {@code audit.command.refused} event; a command run gives one {@code audit.command.executed}
 * event. No transport and no authentication here: a door (the hub's signed MQTT commands, ...)
 * checks who is asking, then calls {@link #dispatch} or {@link #refuse}.
 */
public final class CommandDispatcher {
    public static final String AUDIT_REFUSED = "audit.command.refused";
    public static final String AUDIT_EXECUTED = "audit.command.executed";
    /** Reply code when a handler throws. */
    public static final String INTERNAL = ReplyCode.INTERNAL;

    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Commands whose {@code staffId} must name a registered staff member. */
    public static final java.util.Set<String> STAFF_COMMANDS = java.util.Set.of("call-ack", "call-resolve", "issue");

    private final CommandRegistry registry;
    private final EventSink audit;
    private final StaffRegistry staff;

    /** A dispatcher that does not check staff ids (tests of other parts). */
    public CommandDispatcher(CommandRegistry registry, EventSink audit) {
        this(registry, audit, null);
    }

    /**
     * A dispatcher refusing ({@code INVALID}, naming the id) a {@link #STAFF_COMMANDS} command whose
     * {@code staffId} is not in {@code staff}, whichever door it came by.
     */
    public CommandDispatcher(CommandRegistry registry, EventSink audit, StaffRegistry staff) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.staff = staff;
    }

    public CommandRegistry registry() {
        return registry;
    }

    /** Runs a command its door has checked; returns the reply. */
    public ObjectNode dispatch(CommandRequest request) {
        return run(request, false);
    }

    /**
     * A command whose first delivery was being carried out when the terminal stopped, delivered
     * again: its handler finds out whether it took effect ({@link CommandHandler#recover}) rather
     * than carrying it out twice; returns the reply.
     */
    public ObjectNode recover(CommandRequest request) {
        return run(request, true);
    }

    private ObjectNode run(CommandRequest request, boolean recovering) {
        Optional<CommandHandler> handler = registry.handler(request.name());
        if (handler.isEmpty()) {
            return refuse(request.requestId(), request.name(), ReplyCode.INVALID, "unknown command",
                    List.of("name: no command " + SafeText.of(request.name(), 64) + " on this terminal (known: " + registry.names()
                            + ")"));
        }
        if (staff != null && STAFF_COMMANDS.contains(request.name())) {
            JsonNode id = request.args().get("staffId");
            if (id != null && id.isTextual() && !staff.known(id.asText())) {
                return refuse(request, ReplyCode.INVALID, "unknown staff",
                        List.of("staffId: unknown staff id " + safeId(id.asText())
                                + ": not in this terminal's staff registry"));
            }
        }
        CommandResult result;
        try {
            CommandHandler h = handler.get();
            result = Objects.requireNonNull(recovering ? h.recover(request) : h.handle(request),
                    "handler returned null");
        } catch (RuntimeException e) {
            log.warn("command {} ({}) failed", request.name(), request.requestId(), e);
            result = CommandResult.failed(INTERNAL, "the command failed on the terminal ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (result instanceof CommandResult.Failed f && f.code().equals(ReplyCode.INVALID)) {
            return refuse(request, f.code(), f.message(), f.problems());
        }
        ObjectNode event = NODES.objectNode();
        event.put("requestId", request.requestId());
        event.put("name", request.name());
        event.put("ok", result instanceof CommandResult.Ok);
        if (result instanceof CommandResult.Failed f) {
            event.put("code", f.code());
        }
        attribute(request.args(), event);
        door(request, event);
        emit(AUDIT_EXECUTED, event);
        return reply(request.requestId(), result);
    }

    /** {@link #refuse(String, String, String, String, List)} of a request that got past its door, with its door and staff. */
    public ObjectNode refuse(CommandRequest request, String code, String message, List<String> problems) {
        ObjectNode extra = NODES.objectNode();
        copyIf(request.args(), "staffId", STAFF_ID, extra);
        door(request, extra);
        return refuse(request.requestId(), request.name(), code, message, problems, extra);
    }

    /**
     * Refuses a command with no other effect than the returned reply and one
     * {@code audit.command.refused} event (a door's guard said no).
     */
    public ObjectNode refuse(String requestId, String name, String code, String message, List<String> problems) {
        return refuse(requestId, name, code, message, problems, NODES.objectNode());
    }

    private ObjectNode refuse(String requestId, String name, String code, String message, List<String> problems,
            ObjectNode extra) {
        // the name may come from outside: into the audit event only when well-formed (else null), never raw into a log
        String shownName = name == null ? null : SafeText.of(name, 64);
        message = message == null ? null : SafeText.of(message, 500);
        ObjectNode event = NODES.objectNode();
        event.put("requestId", requestId);
        event.put("name", name != null && cardterm.terminal.Ids.SEGMENT.matcher(name).matches() ? name : null);
        event.put("code", code);
        event.put("reason", message);
        ArrayNode list = event.putArray("problems");
        problems.forEach(p -> list.add(problem(p)));
        event.setAll(extra);
        emit(AUDIT_REFUSED, event);
        log.info("command {} refused: {} {}", shownName, code, message);
        return reply(requestId, new CommandResult.Failed(code, message, problems));
    }

    private void emit(String type, ObjectNode data) {
        try {
            audit.publish(type, data);
        } catch (RuntimeException e) {
            // the reply still goes: the hub must hear of the command either way
            log.error("could not store the {} event: {}", type, e.toString());
        }
    }

    /** The reply of the contract: {@code {"requestId","ok","result"}} or {@code {"requestId","ok","error"}}. */
    public static ObjectNode reply(String requestId, CommandResult result) {
        ObjectNode r = NODES.objectNode();
        if (requestId == null) {
            r.putNull("requestId");
        } else {
            r.put("requestId", requestId);
        }
        switch (result) {
            case CommandResult.Ok ok -> {
                r.put("ok", true);
                r.set("result", ok.result());
            }
            case CommandResult.Failed f -> {
                r.put("ok", false);
                ObjectNode error = r.putObject("error");
                error.put("code", f.code());
                error.put("message", SafeText.of(f.message(), 500));
                ArrayNode problems = error.putArray("problems");
                f.problems().forEach(p -> problems.add(problem(p)));
                f.ownerIfAny().filter(o -> STAFF_ID.matcher(o).matches()).ifPresent(o -> error.put("owner", o));
            }
        }
        return r;
    }

    /** A field path before {@code ": "} in a problem line. */
    private static final java.util.regex.Pattern PROBLEM = java.util.regex.Pattern.compile(
            "([A-Za-z0-9_$.\\[\\]-]{1,200}): (.*)", java.util.regex.Pattern.DOTALL);
    /** Ids the audit trail may carry as they are (common.json). */
    private static final java.util.regex.Pattern STAFF_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final java.util.regex.Pattern JOB_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final java.util.regex.Pattern CALL_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    /** A problem line ({@code "field: message"}) as the contract's object {@code {"field","message"}}. */
    public static ObjectNode problem(String line) {
        ObjectNode o = NODES.objectNode();
        java.util.regex.Matcher m = PROBLEM.matcher(line);
        String field = m.matches() ? m.group(1) : "";
        String message = m.matches() ? m.group(2) : line;
        o.put("field", field);
        o.put("message", SafeText.of(message, 500)); // problems may quote what came from outside
        return o;
    }

    /** The door, and for the console the signed-in staff id when the args name none. */
    private static void door(CommandRequest request, ObjectNode event) {
        event.put("door", request.door());
        if (!event.has("staffId") && request.actor() != null && STAFF_ID.matcher(request.actor()).matches()) {
            event.put("staffId", request.actor());
        }
    }

    /** A staff id to quote in a reply: as it is when well-formed, else shortened and quoted. */
    private static String safeId(String id) {
        if (STAFF_ID.matcher(id).matches()) {
            return id;
        }
        String s = id.length() > 32 ? id.substring(0, 32) + "..." : id;
        return "'" + s.replaceAll("[^A-Za-z0-9._-]", "?") + "'";
    }

    /** Who acted, on what: the args' staffId, jobId and callId, when well-formed. */
    private static void attribute(JsonNode args, ObjectNode event) {
        copyIf(args, "staffId", STAFF_ID, event);
        copyIf(args, "jobId", JOB_ID, event);
        copyIf(args, "callId", CALL_ID, event);
    }

    private static void copyIf(JsonNode args, String field, java.util.regex.Pattern p, ObjectNode event) {
        JsonNode v = args == null ? null : args.get(field);
        if (v != null && v.isTextual() && p.matcher(v.asText()).matches()) {
            event.put(field, v.asText());
        }
    }
}
