package cardterm.terminal.issuance;

import cardterm.terminal.audit.AuditEntry;
import cardterm.terminal.issuance.IssuanceJournal.JobRow;
import cardterm.terminal.issuance.IssuanceJournal.Phase;
import cardterm.terminal.issuance.IssuanceService.Outcome;
import cardterm.terminal.issuance.IssuanceService.QueuedJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the progress of jobs in the order the crash-safety rules ask (package-info): a step's
 * start and end are journaled, with a sign of life and a probe point each; a job's end is
 * journaled, then its last event stored, then marked reported; then the audit entry, the log line
 * and the outcome listeners. Shared by a {@link JobRun}, {@link CrashRecovery} and the service.
 */
final class JobRecorder {
    private static final Logger log = LoggerFactory.getLogger(IssuanceService.class); // issuance's log name

    /** Who and what a job is, as its end reports it. */
    record JobRef(String jobId, String staffId, String maskedId, Instant acceptedAt) {
        static JobRef of(QueuedJob q) {
            return new JobRef(q.job().jobId(), q.job().staffId(), q.job().citizen().idNumber().masked(), q.acceptedAt());
        }

        static JobRef of(JobRow r) {
            return new JobRef(r.jobId(), r.staffId(), r.maskedId(), r.acceptedAt());
        }
    }

    /** A run's clock: when it started ({@link System#nanoTime()}) and the time it waited on devices. */
    record RunTime(long startNanos, ChipStation.DeviceTime device) {
        static RunTime start() {
            return new RunTime(System.nanoTime(), new ChipStation.DeviceTime());
        }
    }

    private final IssuanceJournal journal;
    private final IssuanceEvents events;
    private final Clock clock;
    private final List<Consumer<Outcome>> outcomeListeners = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> probe = p -> { };
    /** {@link System#nanoTime()} of the worker's last sign of life: each turn of its loop, each step it starts. */
    private volatile long heartbeatNanos = System.nanoTime();

    JobRecorder(IssuanceJournal journal, IssuanceEvents events, Clock clock) {
        this.journal = Objects.requireNonNull(journal);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
    }

    void addOutcomeListener(Consumer<Outcome> l) {
        outcomeListeners.add(l);
    }

    void setProbe(Consumer<String> probe) {
        this.probe = probe == null ? p -> { } : probe;
    }

    /** Tells the probe the job reached {@code point}. */
    void probe(String point) {
        probe.accept(point);
    }

    /** The worker is alive. */
    void beat() {
        heartbeatNanos = System.nanoTime();
    }

    long heartbeatNanos() {
        return heartbeatNanos;
    }

    /** The job left the queue: RUNNING in the journal, then the probe point {@code job.started}. */
    void started(String jobId) {
        journal.started(jobId);
        probe.accept("job.started");
    }

    /** A step starts: a sign of life, the start journaled, then the probe point {@code <step>.started}. */
    void begin(String jobId, IssuanceStep step, String detail) {
        beat();
        journal.log(jobId, step, Phase.START, detail);
        probe.accept(step.journalName() + ".started");
    }

    /** The device answered the step: probe point {@code <step>.done}, before its end is journaled. */
    void done(IssuanceStep step) {
        probe.accept(step.journalName() + ".done");
    }

    /** A step ends: the end journaled with {@code detail}, then the probe point {@code <step>.ended}. */
    void end(String jobId, IssuanceStep step, String detail) {
        journal.log(jobId, step, Phase.END, detail);
        probe.accept(step.journalName() + ".ended");
    }

    /** Ends a job FAILED while it was queued or ran. */
    void failed(JobRef job, Failure f, RunTime run) {
        journal.failed(job.jobId(), f);
        events.failed(job.jobId(), job.staffId(), f, Duration.between(job.acceptedAt(), clock.instant()).toMillis(),
                job.maskedId());
        journal.reported(job.jobId());
        events.auditFailed(job.staffId(), job.jobId(), f, null);
        log.info("job {} failed: {} at {} (card {})", job.jobId(), f.code().wireName(), f.step().wireName(),
                f.cardRejected() ? "rejected" : "not rejected");
        tell(new Outcome(job.jobId(), false, f.code().wireName(), f.recordsWritten(), f.cardRejected(),
                System.nanoTime() - run.startNanos(), run.device().nanos()));
    }

    /** Ends FAILED a job a crash interrupted (recovery, by the terminal). */
    void interrupted(JobRef job, Failure f) {
        journal.failed(job.jobId(), f);
        events.failed(job.jobId(), job.staffId(), f, -1, job.maskedId());
        journal.reported(job.jobId());
        events.auditFailed(job.staffId(), job.jobId(), f, AuditEntry.TERMINAL);
        log.warn("job {} failed: {} at {} (card {}), records written {}", job.jobId(), f.code().wireName(),
                f.step().wireName(), f.cardRejected() ? "rejected" : "not rejected", f.recordsWritten());
        tell(new Outcome(job.jobId(), false, f.code().wireName(), f.recordsWritten(), f.cardRejected(), 0, 0));
    }

    /**
     * Ends a job COMPLETED: the card reached the citizen. {@code started}: when it left the queue,
     * for the {@code ejected} step's time; null when unknown (recovery).
     */
    void completed(String jobId, String staffId, List<String> records, long totalMs, long overrunMs, Instant started,
            RunTime run) {
        journal.completed(jobId, records);
        events.step(jobId, IssuanceStep.EJECT, started == null ? -1 : Duration.between(started, clock.instant()).toMillis());
        journal.reported(jobId);
        events.auditCompleted(staffId, jobId, totalMs, overrunMs, records);
        tell(new Outcome(jobId, true, "OK", records, false, System.nanoTime() - run.startNanos(), run.device().nanos()));
    }

    private void tell(Outcome o) {
        for (Consumer<Outcome> l : outcomeListeners) {
            try {
                l.accept(o);
            } catch (RuntimeException e) {
                log.warn("outcome listener failed", e);
            }
        }
    }
}
