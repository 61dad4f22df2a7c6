package cardterm.terminal.issuance;

import cardterm.terminal.audit.AuditLog;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.issuance.IssuanceJournal.JobRow;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What issuance tells: the {@code issuance.accepted}, {@code .step}, {@code .completed} and
 * {@code .failed} events of hub-contract.md (docs/schemas/events/issuance.*.json), and the audit
 * entries of a job's acceptance, cancellation and end. Builds each payload in one place; never
 * decides when (the crash-safety order is the callers'). Personal data only as the masked ID number.
 */
final class IssuanceEvents {
    private static final Logger log = LoggerFactory.getLogger(IssuanceService.class); // issuance's log name
    /** {@code issuance.failed}'s message is cut to this many characters. */
    static final int MESSAGE_MAX = 500;

    /** A completed job's durations in milliseconds ({@code issuance.completed}'s {@code ms}). */
    record Durations(long total, long chip, long print, long queue, long feed) {}

    private final EventSink events;
    private final AuditLog audit;

    IssuanceEvents(EventSink events, AuditLog audit) {
        this.events = Objects.requireNonNull(events);
        this.audit = Objects.requireNonNull(audit);
    }

    /** {@code issuance.accepted}: the job is queued at {@code position} (0 = next). */
    void accepted(IssuanceJob job, IssuancePolicy.Decision decision, int position, long promisedMs, String eventId) {
        ObjectNode d = job(job);
        d.put("elderly", decision.elderly());
        d.put("concession", decision.concession().type().eventName());
        d.put("position", position);
        d.put("promisedMs", promisedMs);
        d.put("maskedId", job.citizen().idNumber().masked());
        // under the id kept with the waiting job: stored again after a crash, it is the same event
        events.publish("issuance.accepted", d, eventId);
    }

    /** {@code issuance.step}: the job reached {@code step}, {@code ms} after it started (left out when negative). */
    void step(String jobId, IssuanceStep step, long ms) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("jobId", jobId);
        d.put("step", step.wireName());
        if (ms >= 0) {
            d.put("ms", ms);
        }
        events.publish("issuance.step", d);
    }

    /** {@code issuance.completed}: stored before the card goes out ({@code Eo}). */
    void completed(IssuanceJob job, IssuancePolicy.Decision decision, Durations ms, long promisedMs) {
        ObjectNode d = job(job);
        d.put("elderly", decision.elderly());
        d.put("concession", decision.concession().type().eventName());
        ObjectNode m = d.putObject("ms");
        m.put("total", ms.total());
        m.put("chip", ms.chip());
        m.put("print", ms.print());
        m.put("queue", ms.queue());
        m.put("feed", ms.feed());
        d.put("promisedMs", promisedMs);
        d.put("overrunMs", Math.max(0, ms.total() - promisedMs));
        d.put("maskedId", job.citizen().idNumber().masked());
        events.publish("issuance.completed", d);
    }

    /** {@code issuance.failed}, {@code ms} after acceptance (left out when negative). */
    void failed(String jobId, String staffId, Failure f, long ms, String maskedId) {
        failed(jobId, staffId, f.code().wireName(), f.step().wireName(), f.cardRejected(), f.recordsWritten(),
                f.message(), ms, maskedId);
    }

    /** {@code issuance.failed} again, as the journal kept the job's end (a restart found it unreported). */
    void failedAgain(JobRow r) {
        failed(r.jobId(), r.staffId(), r.code(), r.step(), r.cardRejected(), r.recordsWritten(), r.message(), -1,
                r.maskedId());
    }

    private void failed(String jobId, String staffId, String code, String step, boolean rejected, List<String> written,
            String message, long ms, String maskedId) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("jobId", jobId);
        d.put("staffId", staffId);
        d.put("code", code);
        d.put("step", step);
        d.put("cardRejected", rejected);
        ArrayNode w = d.putArray("recordsWritten");
        written.forEach(w::add);
        if (message != null && !message.isBlank()) {
            d.put("message", message.length() > MESSAGE_MAX ? message.substring(0, MESSAGE_MAX) : message);
        }
        if (ms >= 0) {
            d.put("ms", ms);
        }
        if (maskedId != null) {
            d.put("maskedId", maskedId);
        }
        events.publish("issuance.failed", d);
    }

    // ------------------------------------------------------------------ audit entries

    void auditAccepted(IssuanceJob job, IssuancePolicy.Decision decision) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("elderly", decision.elderly());
        a.put("age", decision.age());
        a.put("concession", decision.concession().type().eventName());
        a.put("optedOut", decision.optedOut());
        a.put("maskedId", job.citizen().idNumber().masked());
        auditQuietly(job.staffId(), "issuance.job.accepted", job.jobId(), a);
    }

    /** {@code by} cancelled the job {@code while} it was {@code queued} or {@code running}. */
    void auditCancelled(String by, String jobId, String whileIn) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("while", whileIn);
        auditQuietly(by, "issuance.job.cancelled", jobId, a);
    }

    void auditCompleted(String staffId, String jobId, long totalMs, long overrunMs, List<String> records) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("totalMs", totalMs);
        a.put("overrunMs", overrunMs);
        ArrayNode w = a.putArray("recordsWritten");
        records.forEach(w::add);
        auditQuietly(staffId, "issuance.job.completed", jobId, a);
    }

    /** The job's end under its staff id; {@code by}, when not null, names who ended it (recovery: the terminal). */
    void auditFailed(String staffId, String jobId, Failure f, String by) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("code", f.code().wireName());
        a.put("step", f.step().wireName());
        a.put("cardRejected", f.cardRejected());
        ArrayNode w = a.putArray("recordsWritten");
        f.recordsWritten().forEach(w::add);
        if (by != null) {
            a.put("by", by);
        }
        auditQuietly(staffId, "issuance.job.failed", jobId, a);
    }

    private void auditQuietly(String staffId, String action, String subject, ObjectNode detail) {
        try {
            audit.record(staffId, action, subject, detail);
        } catch (RuntimeException e) {
            log.error("audit entry {} for {} not stored: {}", action, subject, e.toString());
        }
    }

    private static ObjectNode job(IssuanceJob job) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("jobId", job.jobId());
        d.put("staffId", job.staffId());
        return d;
    }
}
