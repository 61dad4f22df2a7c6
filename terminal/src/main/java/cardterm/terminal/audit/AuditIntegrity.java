package cardterm.terminal.audit;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthListener;
import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTracker;
import cardterm.devices.health.MonitoredDevice;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit log as a part in the terminal's health ({@value #PART_ID}): ONLINE/OK when the check at
 * start found the chain intact, DEGRADED/INTEGRITY_BROKEN naming the first bad seq when it did
 * not. A break stays: the log is never rewritten to hide it, so the next start finds it again.
 * Also builds the {@value #EVENT_TYPE} event that reports a break to the hub.
 */
public final class AuditIntegrity implements MonitoredDevice {
    /** The part's id in health and {@code device.status} events. */
    public static final String PART_ID = "audit";
    /** The event type reporting a broken audit log. */
    public static final String EVENT_TYPE = "audit.integrity";
    /** At most this many findings go into the event (all are counted). */
    static final int MAX_FINDINGS = 20;
    private static final int MAX_MESSAGE = 500;

    private final HealthTracker tracker;
    private volatile AuditVerifier.Report report;

    AuditIntegrity(Clock clock) {
        this.tracker = new HealthTracker(PART_ID, Objects.requireNonNull(clock, "clock"));
    }

    /** Takes the result of the check at start. */
    void checked(AuditVerifier.Report r) {
        this.report = r;
        Optional<AuditFinding> first = r.firstBad();
        if (first.isEmpty()) {
            tracker.online();
            return;
        }
        AuditFinding f = first.get();
        tracker.set(HealthReason.INTEGRITY_BROKEN, cut("audit log broken at seq " + f.seq() + " (" + f.kind().wireName()
                + "): " + f.message() + (r.findings().size() > 1 ? "; " + r.findings().size() + " problems in all" : "")
                + "; new entries continue at seq " + (r.highWaterSeq() + 1) + "; cardterm audit verify lists them"));
    }

    /** What the check at start found (empty before it ran). */
    public Optional<AuditVerifier.Report> report() {
        return Optional.ofNullable(report);
    }

    /** The data of the {@value #EVENT_TYPE} event for a report with findings. */
    public static ObjectNode event(AuditVerifier.Report r) {
        AuditFinding first = r.firstBad().orElseThrow(() -> new IllegalArgumentException("the log is intact"));
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("firstBadSeq", first.seq());
        d.put("problem", first.kind().wireName());
        d.put("message", cut(first.message()));
        d.put("entries", r.entries());
        d.put("lastSeq", r.lastSeq());
        d.put("highWaterSeq", r.highWaterSeq());
        d.put("nextSeq", r.highWaterSeq() + 1);
        d.put("headHash", r.chainHash());
        d.put("problemCount", r.findings().size());
        ArrayNode all = d.putArray("problems");
        r.findings().stream().limit(MAX_FINDINGS).forEach(f -> all.addObject().put("seq", f.seq())
                .put("problem", f.kind().wireName()).put("message", cut(f.message())));
        d.put("verifyMs", r.took().toMillis());
        return d;
    }

    private static String cut(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
    }

    @Override
    public String deviceId() {
        return PART_ID;
    }

    @Override
    public DeviceHealth health() {
        return tracker.current();
    }

    @Override
    public void addHealthListener(HealthListener listener) {
        tracker.addListener(listener);
    }
}
