package cardterm.terminal.app;

import cardterm.devices.health.DeviceHealth;
import cardterm.terminal.assist.CallSnapshot;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.console.ConsoleServer;
import cardterm.terminal.issuance.IssuanceJournal;
import cardterm.terminal.issuance.IssuanceService;
import cardterm.terminal.issuance.IssuanceStep;
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
 * (hub link, outbox backlog, devices, supplies, open calls, jobs, today's audit trail; calls and
 * names are hidden from technicians), with the card face of a queued or running job.
 */
public final class TerminalConsole implements ConsoleServer.View {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Today's audit entries as last read: read again when the trail grew or the day changed. */
    private record AuditRead(long lastSeq, java.time.LocalDate day, ArrayNode entries) {}

    /** The jobs view as last built: built again when a job changed or the running one changed hands. */
    private record JobsBuilt(long version, String key, ObjectNode view) {}

    private final TerminalService t;
    private volatile AuditRead auditRead;
    private volatile JobsBuilt jobsBuilt;

    private TerminalConsole(TerminalService t) {
        this.t = t;
    }

    /** Starts the console of {@code t} on {@code settings}. */
    public static ConsoleServer start(TerminalService t, TerminalConfig.Console settings) throws IOException {
        return ConsoleServer.start(settings, t.config().staff(), t.hub().dispatcher(),
                (staffId, action, subject, detail) -> t.audit().record(staffId, action, subject, detail),
                new TerminalConsole(t), t.config().terminal().timeZone() == null ? java.time.Clock.systemUTC()
                        : java.time.Clock.system(t.config().terminal().timeZone()));
    }

    @Override
    public java.util.Optional<byte[]> cardFacePng(String jobId) {
        return t.issuance().cardFace(jobId).map(TerminalConsole::png);
    }

    private static byte[] png(java.awt.image.BufferedImage image) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** How many of today's audit entries the console shows (the newest). */
    static final int AUDIT_SHOWN = 30;
    /** Today's (terminal time zone) newest audit entries, newest first: who, what, on what, through which door. */
    ArrayNode todaysAudit() {
        long last = t.audit().lastSeq();
        java.time.ZoneId zone = t.config().terminal().timeZone();
        java.time.LocalDate today = java.time.LocalDate.ofInstant(t.now(), zone);
        AuditRead cached = auditRead;
        if (cached != null && cached.lastSeq() == last && cached.day().equals(today)) {
            return cached.entries().deepCopy();
        }
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
        auditRead = new AuditRead(last, today, out);
        return out.deepCopy();
    }

    /** How many ended jobs the console lists. */
    static final int RECENT_JOBS = 10;
    /**
     * The queue (elderly first), the running job's steps with their times against the promised
     * duration, and the last jobs that ended with their outcome. Names and ID numbers only masked,
     * and only for a role that sees personal data; the full face is the card preview's alone.
     */
    ObjectNode jobs(Role role) {
        long version = t.issuance().jobsVersion();
        // the running job changes hands without a journal write (its end is journaled before it leaves)
        String key = (role.seesPersonalData() ? "p" : "n") + t.issuance().runningJob().orElse("");
        JobsBuilt cached = jobsBuilt;
        if (cached != null && cached.version() == version && cached.key().equals(key)) {
            return cached.view().deepCopy();
        }
        IssuanceService.JobsView v = t.issuance().jobsView(RECENT_JOBS);
        ObjectNode n = NODES.objectNode();
        n.put("promisedMs", v.promised().toMillis());
        ArrayNode queue = n.putArray("queue");
        for (IssuanceService.QueuedJob q : v.queue()) {
            queue.add(queuedJob(q, role));
        }
        v.running().ifPresent(r -> {
            ObjectNode run = queuedJob(r, role);
            run.set("steps", steps(v.runningSteps(), run));
            n.set("running", run);
        });
        ArrayNode recent = n.putArray("recent");
        for (IssuanceJournal.Ended e : v.recent()) {
            IssuanceJournal.JobRow r = e.job();
            ObjectNode j = recent.addObject();
            j.put("jobId", r.jobId());
            j.put("staffId", r.staffId());
            j.put("elderly", r.elderly());
            j.put("completed", r.state() == IssuanceJournal.State.COMPLETED);
            j.put("acceptedAt", r.acceptedAt().toString());
            j.put("endedAt", e.endedAt().toString());
            j.put("ms", java.time.Duration.between(r.acceptedAt(), e.endedAt()).toMillis());
            if (r.code() != null) {
                j.put("code", r.code());
            }
            if (r.step() != null) {
                j.put("step", r.step());
            }
            j.put("cardRejected", r.cardRejected());
            if (role.seesPersonalData()) {
                j.put("idMasked", r.maskedId());
            }
            if (recent.size() == 1) {
                j.set("steps", steps(t.issuance().journalEntries(r.jobId()), j.deepCopy()));
            }
        }
        jobsBuilt = new JobsBuilt(version, key, n);
        return n.deepCopy();
    }

    /** A job's journal as steps with start and end; the job's own start goes to {@code job.startedAt}. */
    static ArrayNode steps(java.util.List<IssuanceJournal.Entry> entries, ObjectNode job) {
        ArrayNode steps = NODES.arrayNode();
        java.util.Map<String, ObjectNode> open = new java.util.HashMap<>();
        for (IssuanceJournal.Entry e : entries) {
            if (e.step() == IssuanceStep.JOB) {
                if (e.phase() == IssuanceJournal.Phase.START) {
                    job.put("startedAt", e.at().toString());
                }
                continue;
            }
            String name = e.step().journalName();
            if (e.phase() == IssuanceJournal.Phase.START) {
                ObjectNode s = steps.addObject();
                s.put("step", name);
                s.put("start", e.at().toString());
                if (e.step() == IssuanceStep.RECORD && !e.detail().isEmpty()) {
                    s.put("detail", e.detail());
                }
                open.put(name, s);
            } else {
                ObjectNode s = open.remove(name);
                if (s != null) {
                    s.put("end", e.at().toString());
                }
            }
        }
        return steps;
    }

    private static ObjectNode queuedJob(IssuanceService.QueuedJob q, Role role) {
        ObjectNode j = NODES.objectNode();
        j.put("jobId", q.job().jobId());
        j.put("staffId", q.job().staffId());
        j.put("elderly", q.decision().elderly());
        j.put("concession", q.decision().concession().type().eventName());
        j.put("acceptedAt", q.acceptedAt().toString());
        if (role.seesPersonalData()) {
            j.put("nameMasked", q.job().citizen().name().masked());
            j.put("idMasked", q.job().citizen().idNumber().masked());
        }
        return j;
    }

    @Override
    public ObjectNode snapshot(Role role) {
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
        n.set("supplies", t.suppliesView());
        t.rejectedCards().ifPresent(r -> n.put("rejectedCards", r));
        n.set("audit", todaysAudit());
        n.set("jobs", jobs(role));
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
