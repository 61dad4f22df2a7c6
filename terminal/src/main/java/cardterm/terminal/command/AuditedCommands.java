package cardterm.terminal.command;

import cardterm.terminal.audit.AuditEntry;
import cardterm.terminal.audit.AuditLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every command the terminal carries out into the {@link AuditLog}: a {@code command.<name>}
 * entry attributed to the staff id the command names ({@code args.staffId}: issue, cancel,
 * call-ack, call-resolve), else to {@link AuditEntry#HUB}, with the request id, whether it succeeded
 * and the job or call it concerned. Commands refused before their handler (bad signature,
 * misdirected, replayed, unparsable) are reported by the hub link's own
 * {@code audit.command.refused} events.
 */
public final class AuditedCommands {
    private static final Logger log = LoggerFactory.getLogger(AuditedCommands.class);

    private AuditedCommands() {
    }

    /** Wraps every handler registered so far (call it after all are registered, before the link starts). */
    public static void wrapAll(CommandRegistry registry, AuditLog audit) {
        Objects.requireNonNull(audit, "audit");
        for (String name : registry.names()) {
            CommandHandler h = registry.handler(name).orElse(null);
            if (h == null || h instanceof Audited) {
                continue;
            }
            registry.unregister(name);
            registry.register(name, new Audited(name, h, audit));
        }
    }

    /** A handler whose every run is recorded. */
    static final class Audited implements CommandHandler {
        private final String name;
        private final CommandHandler inner;
        private final AuditLog audit;

        Audited(String name, CommandHandler inner, AuditLog audit) {
            this.name = name;
            this.inner = inner;
            this.audit = audit;
        }

        @Override
        public CommandResult handle(CommandRequest request) {
            return run(request, false);
        }

        @Override
        public CommandResult recover(CommandRequest request) {
            return run(request, true);
        }

        private CommandResult run(CommandRequest request, boolean recovering) {
            CommandResult result;
            try {
                result = recovering ? inner.recover(request) : inner.handle(request);
            } catch (RuntimeException e) {
                record(request, null, e);
                throw e;
            }
            record(request, result, null);
            return result;
        }

        private void record(CommandRequest request, CommandResult result, RuntimeException error) {
            try {
                JsonNode args = request.args();
                ObjectNode d = JsonNodeFactory.instance.objectNode();
                d.put("command", name);
                d.put("requestId", request.requestId());
                d.put("issuedAt", request.issuedAt().toString());
                d.put("ok", result instanceof CommandResult.Ok);
                d.put("door", request.door());
                if (result instanceof CommandResult.Failed f) {
                    d.put("code", f.code());
                    if (!f.problems().isEmpty()) {
                        d.put("problems", f.problems().size());
                    }
                } else if (error != null) {
                    d.put("code", "INTERNAL");
                }
                for (String key : new String[] {"jobId", "callId", "logger", "level"}) {
                    JsonNode v = args.get(key);
                    if (v != null && v.isTextual() && v.asText().length() <= 128) {
                        d.put(key, v.asText());
                    }
                }
                audit.record(staffOf(args, request.actor()), "command." + name, request.requestId(), d);
            } catch (RuntimeException e) {
                log.error("command {} ({}) not recorded in the audit log: {}", name, request.requestId(), e.toString());
            }
        }

        private static String staffOf(JsonNode args, String actor) {
            JsonNode s = args == null ? null : args.get("staffId");
            if (s != null && s.isTextual() && AuditEntry.STAFF_ID.matcher(s.asText()).matches()) {
                return s.asText();
            }
            if (actor != null && AuditEntry.STAFF_ID.matcher(actor).matches()) {
                return actor;
            }
            return AuditEntry.HUB;
        }
    }
}
