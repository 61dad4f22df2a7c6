package cardterm.terminal.issuance;

import cardterm.devices.concurrent.ServiceThreads;

import cardterm.devices.check.Problems;
import cardterm.devices.chip.ChipData;
import cardterm.devices.printer.CardPrinter;
import cardterm.devices.printer.face.CardFaceDevice;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.terminal.audit.AuditEntry;
import cardterm.terminal.audit.AuditLog;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.issuance.IssuanceJournal.JobRow;
import cardterm.terminal.issuance.IssuanceJournal.Phase;
import cardterm.terminal.issuance.JobRecorder.JobRef;
import cardterm.terminal.issuance.JobRecorder.RunTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-site issuance: takes jobs (the hub's {@code issue} command), queues them (elderly first), and
 * runs one at a time on its worker, each as a {@link JobRun}: printer ready check, {@code Sic}, chip
 * personalization and verify, card face print, {@code Eo}; on a chip failure no print and
 * {@code Er}; on a printer error the card is rejected where the printer can still move it. Every
 * step is an {@code issuance.*} event ({@link IssuanceEvents}).
 *
 * <p><b>Crash safety.</b> Every step's start and end (and each chip record the card acknowledged)
 * is committed to the {@link IssuanceJournal} before the step counts. When the service starts, its
 * worker first ends what a crash interrupted ({@link CrashRecovery}): a job that was running has the
 * card in the printer rejected ({@code Er}; {@code NO_CARD} means no card is inside) and fails with
 * {@code INTERRUPTED} and the records the journal says were written; jobs accepted and still
 * queued run after the restart, in their place (their personal data is kept only while they wait).
 * A chip step is never resumed or repeated: no card is personalized twice.
 *
 * <p><b>The window around {@code Eo}.</b> {@code issuance.completed} is stored before the card
 * leaves (hub-contract.md); then "eject started" is journaled, then {@code Eo} is sent, then "eject
 * ended". After a crash: no "eject started" - the card is still inside and is rejected, the job
 * fails {@code INTERRUPTED} (step {@code ejected}), superseding a completed event already stored;
 * "eject started" without its end - {@code Er} decides: {@code OK} means {@code Eo} never ran and
 * the card is rejected (failed, superseding), {@code NO_CARD} means {@code Eo} ran and the citizen
 * has the card (the job stays completed). A card reaches the citizen only after its chip was
 * verified and its face printed, because {@code Eo} is only ever sent after both ends are journaled.
 *
 * <p><b>Answerability.</b> Acceptance, cancellation and the end of every job go to the
 * {@link AuditLog} under the job's (or the cancelling) staff id.
 */
public final class IssuanceService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IssuanceService.class);
    public static final int QUEUE_CAPACITY = 200;
    /** Refusal and failure code while the card face has no usable font ({@link CardFaceDevice}). */
    public static final String CARD_FACE_UNAVAILABLE = FailureCode.CARD_FACE_UNAVAILABLE.wireName();
    /** The code of a job a crash or power cut interrupted. */
    public static final String INTERRUPTED = FailureCode.INTERRUPTED.wireName();

    /** A job in the queue with the policy's decision and when it was accepted. */
    public record QueuedJob(IssuanceJob job, IssuancePolicy.Decision decision, Instant acceptedAt) {}

    /**
     * What became of a job, for the console, tests and the benchmark.
     *
     * @param runNanos from the job's start (taken from the queue) to its end
     * @param deviceNanos of which spent waiting on the printer, the card and the SAM
     */
    public record Outcome(String jobId, boolean completed, String code, List<String> recordsWritten, boolean cardRejected,
            long runNanos, long deviceNanos) {
        public Outcome {
            recordsWritten = List.copyOf(recordsWritten);
        }
    }

    /** Why a job was refused at submission. */
    public record Refusal(String code, String message, Problems problems) {}

    /**
     * The jobs as the counter console shows them: the queue in the order it runs (elderly first),
     * the running job with its journal so far, the last jobs that ended, the promised duration.
     */
    public record JobsView(List<QueuedJob> queue, Optional<QueuedJob> running, List<IssuanceJournal.Entry> runningSteps,
            List<IssuanceJournal.Ended> recent, Duration promised) {
        public JobsView {
            queue = List.copyOf(queue);
            runningSteps = List.copyOf(runningSteps);
            recent = List.copyOf(recent);
        }
    }

    private final IssuancePolicy policy;
    private final Duration promised;
    private final CardFaceDevice cardFace;
    private final Clock clock;
    private final IssuanceJournal journal;
    private final IssuanceEvents events;
    private final JobRecorder recorder;
    private final JobRun.Parts parts;
    private final CrashRecovery recovery;
    private final JobQueue<QueuedJob> queue = new JobQueue<>(QUEUE_CAPACITY);
    private final Object lock = new Object();
    private volatile String runningJobId;
    private volatile QueuedJob runningQueued;
    private volatile String cancelledBy;
    private volatile boolean running;
    private volatile boolean recovered;
    private Thread worker;

    public IssuanceService(IssuancePolicy policy, Duration promised, ChipStation chip, CardPrinter printer,
            CardFaceRenderer renderer, EventSink events, Clock clock, IssuanceJournal journal, AuditLog audit) {
        this(policy, promised, chip, printer, CardFaceDevice.ready(renderer, clock), events, clock, journal, audit);
    }

    /** Issuance on a card face that may be unusable: then every job is refused and no card is fed. */
    public IssuanceService(IssuancePolicy policy, Duration promised, ChipStation chip, CardPrinter printer,
            CardFaceDevice cardFace, EventSink events, Clock clock, IssuanceJournal journal, AuditLog audit) {
        this.policy = Objects.requireNonNull(policy);
        this.promised = Objects.requireNonNull(promised);
        this.cardFace = Objects.requireNonNull(cardFace);
        this.clock = Objects.requireNonNull(clock);
        this.journal = Objects.requireNonNull(journal);
        this.events = new IssuanceEvents(events, audit);
        this.recorder = new JobRecorder(journal, this.events, clock);
        this.parts = new JobRun.Parts(chip, printer, cardFace, clock, promised, this.events, recorder);
        this.recovery = new CrashRecovery(journal, this.events, recorder, printer, clock, () -> running, this::pause);
    }

    public void addOutcomeListener(Consumer<Outcome> l) {
        recorder.addOutcomeListener(l);
    }

    /**
     * A hook called on the worker thread at each journaled point ({@code card-feed.started}: after
     * the start was journaled, {@code card-feed.done}: after the printer answered, before the end is
     * journaled, {@code card-feed.ended}: after the end was journaled; likewise for the other
     * {@linkplain IssuanceStep#journalName() journaled steps} {@code printer-check}, {@code chip},
     * {@code record}, {@code print}, {@code eject}, {@code reject}, and {@code job.accepted},
     * {@code accepted.stored} (its event stored, not yet noted so),
     * {@code job.started}, {@code completed.stored}). For crash tests: they kill the process there.
     */
    public void setProbe(Consumer<String> probe) {
        recorder.setProbe(probe);
    }

    /** Starts the worker: it first ends what a crash interrupted, then runs queued jobs. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        // taken now, before any new job can be accepted: only what the crash left
        CrashRecovery.Leftovers left = requeueWaiting(recovery.leftovers());
        worker = ServiceThreads.start("cardterm-issuance", () -> workLoop(left));
    }

    /**
     * Jobs accepted and not started when the terminal stopped go back into the queue, in their
     * place (elderly first, then by acceptance), from the copy kept while they wait; the rest of
     * what the crash left is for {@link CrashRecovery}.
     */
    private CrashRecovery.Leftovers requeueWaiting(CrashRecovery.Leftovers left) {
        List<JobRow> rest = new ArrayList<>();
        for (JobRow r : left.unfinished()) {
            Optional<IssuanceJob> job = r.state() == IssuanceJournal.State.QUEUED
                    ? journal.waiting(r.jobId()).flatMap(json -> IssuanceJobParser.parse(json, new Problems()))
                    : Optional.empty();
            if (job.isEmpty()) {
                rest.add(r);
                continue;
            }
            IssuancePolicy.Decision decision = policy.decide(job.get());
            int position;
            synchronized (lock) {
                queue.offer(r.jobId(), new QueuedJob(job.get(), decision, r.acceptedAt()), decision.elderly());
                position = queue.inOrder().stream().map(q -> q.job().jobId()).toList().indexOf(r.jobId());
            }
            if (!journal.announced(r.jobId())) {
                // accepted, then the power went before its event was noted stored: store it now,
                // under the id made at acceptance (if it was stored, the hub drops this repeat)
                events.accepted(job.get(), decision, position, promised.toMillis(),
                        journal.acceptedEventId(r.jobId()).orElseGet(EventSink::newId));
                journal.markAnnounced(r.jobId());
            }
            log.info("job {}: accepted before the restart, queued again", r.jobId());
        }
        return new CrashRecovery.Leftovers(left.unreported(), rest);
    }

    /**
     * When the worker last showed it is alive ({@link System#nanoTime()}): it beats at least every
     * second while idle and at every step of a job, so a silence longer than the longest step means
     * it hangs (the systemd watchdog restarts the service; recovery then ends the job).
     */
    public long loopHeartbeatNanos() {
        return recorder.heartbeatNanos();
    }

    /** Whether recovery of interrupted jobs is done (jobs accepted before wait for it). */
    public boolean recovered() {
        return recovered;
    }

    /**
     * Checks and queues a job. Empty when accepted (the job is journaled and an
     * {@code issuance.accepted} event stored before this returns), else why not, with every problem.
     */
    public Optional<Refusal> submit(IssuanceJob job) {
        Problems p = new Problems();
        Optional<CardFaceRenderer> renderer = cardFace.renderer();
        if (renderer.isEmpty()) {
            return Optional.of(new Refusal(CARD_FACE_UNAVAILABLE, "no card can be printed: "
                    + cardFace.problem().orElse("card face unavailable"), p));
        }
        IssuancePolicy.Decision decision = policy.decide(job);
        try {
            job.chipData(decision.concession()); // with the concession the policy added: still a valid chip record set
        } catch (IllegalArgumentException e) {
            p.add(ChipData.F_CONCESSION, e.getMessage());
        }
        try {
            renderer.get().check(JobRun.face(job)).list().forEach(pr -> p.add(pr.field(), pr.message()));
        } catch (RuntimeException e) {
            p.add("card", e.getMessage());
        }
        if (!p.isEmpty()) {
            return Optional.of(new Refusal("INVALID", "the job cannot be printed", p));
        }
        int position;
        Instant acceptedAt = clock.instant();
        String acceptedEventId = EventSink.newId();
        synchronized (lock) {
            if (job.jobId().equals(runningJobId) || queue.contains(job.jobId())) {
                return Optional.of(new Refusal("DUPLICATE", "job " + job.jobId() + " is queued or running already", p));
            }
            Optional<JobRow> known = journal.job(job.jobId());
            if (known.isPresent() && known.get().state() == IssuanceJournal.State.FAILED
                    && !JournalReplay.of(journal.entries(job.jobId())).feedStarted()) {
                // it failed before any card was fed: nothing was made, so the same id may come again
                log.info("job {}: failed before a card was fed ({}); taken again", job.jobId(), known.get().code());
                journal.forget(job.jobId());
                known = Optional.empty();
            }
            if (known.isPresent()) {
                return Optional.of(new Refusal("DUPLICATE", "job " + job.jobId() + " was taken before ("
                        + known.get().state() + (known.get().code() == null ? "" : " " + known.get().code())
                        + "): a job id is run once; send a new one", p));
            }
            if (queue.size() >= QUEUE_CAPACITY) {
                return Optional.of(new Refusal("BUSY", "the queue holds " + QUEUE_CAPACITY + " jobs already", p));
            }
            journal.accepted(job.jobId(), job.staffId(), acceptedAt, decision.elderly(),
                    decision.concession().type().eventName(), job.citizen().idNumber().masked(), promised.toMillis(),
                    job.toContractJson().toString(), acceptedEventId);
            queue.offer(job.jobId(), new QueuedJob(job, decision, acceptedAt), decision.elderly());
            position = queue.inOrder().stream().map(q -> q.job().jobId()).toList().indexOf(job.jobId());
        }
        recorder.probe("job.accepted");
        events.accepted(job, decision, position, promised.toMillis(), acceptedEventId);
        recorder.probe("accepted.stored");
        journal.markAnnounced(job.jobId());
        events.auditAccepted(job, decision);
        synchronized (lock) {
            lock.notifyAll();
        }
        return Optional.empty();
    }

    /** Whether the terminal has taken {@code jobId}: queued, running, or ended (the journal knows it). */
    public boolean knows(String jobId) {
        synchronized (lock) {
            if (jobId.equals(runningJobId) || queue.contains(jobId)) {
                return true;
            }
        }
        return journal.job(jobId).isPresent();
    }

    /** {@link #cancel(String, String)} on the hub's behalf. */
    public Optional<String> cancel(String jobId) {
        return cancel(jobId, AuditEntry.HUB);
    }

    /**
     * Cancels a queued job, or asks the running one to stop at its next safe point (card rejected).
     *
     * @return "queued", "running" or empty when no such job waits or runs
     */
    public Optional<String> cancel(String jobId, String staffId) {
        Optional<QueuedJob> q;
        String by = staffId == null || !AuditEntry.STAFF_ID.matcher(staffId).matches() ? AuditEntry.HUB : staffId;
        boolean stopRunning = false;
        synchronized (lock) {
            q = queue.cancel(jobId);
            if (q.isEmpty() && jobId.equals(runningJobId) && cancelledBy == null) {
                cancelledBy = by;
                stopRunning = true;
            }
        }
        if (q.isPresent()) {
            events.auditCancelled(by, jobId, "queued");
            recorder.failed(JobRef.of(q.get()), Failure.of(FailureCode.CANCELLED, IssuanceStep.QUEUED)
                    .message("cancelled by " + by + " before it started"), RunTime.start());
            return Optional.of("queued");
        }
        if (stopRunning) {
            journal.log(jobId, IssuanceStep.CANCEL, Phase.START, by);
            events.auditCancelled(by, jobId, "running");
            return Optional.of("running");
        }
        return Optional.empty();
    }

    public int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    public Optional<String> runningJob() {
        return Optional.ofNullable(runningJobId);
    }

    /** A number that changes whenever {@link #jobsView} would (a job accepted, started, stepped, ended). */
    public long jobsVersion() {
        return journal.version();
    }

    /** The queue, the running job and its steps, and the last {@code recent} jobs that ended. */
    public JobsView jobsView(int recent) {
        List<QueuedJob> waiting;
        synchronized (lock) {
            waiting = queue.inOrder();
        }
        Optional<QueuedJob> run = Optional.ofNullable(runningQueued);
        List<IssuanceJournal.Entry> steps = run.map(r -> journal.entries(r.job().jobId())).orElse(List.of());
        return new JobsView(waiting, run, steps, journal.recent(recent), promised);
    }

    /** Every journal line of a job (steps, no personal data), in order. */
    public List<IssuanceJournal.Entry> journalEntries(String jobId) {
        return journal.entries(jobId);
    }

    /**
     * The card face of a queued or running job, as the printer gets it (the same renderer); empty
     * when no such job waits or runs, or no card face can be drawn.
     */
    public Optional<java.awt.image.BufferedImage> cardFace(String jobId) {
        Optional<IssuanceJob> job;
        synchronized (lock) {
            QueuedJob r = runningQueued;
            job = r != null && r.job().jobId().equals(jobId) ? Optional.of(r.job())
                    : queue.inOrder().stream().map(QueuedJob::job).filter(j -> j.jobId().equals(jobId)).findFirst();
        }
        return job.flatMap(j -> cardFace.renderer().map(f -> f.renderFront(JobRun.face(j))));
    }

    private void workLoop(CrashRecovery.Leftovers left) {
        try {
            recovery.recover(left);
        } catch (RuntimeException e) {
            log.error("recovery of interrupted jobs failed", e);
        }
        recovered = true;
        while (running) {
            recorder.beat();
            QueuedJob next;
            synchronized (lock) {
                Optional<QueuedJob> q = queue.poll();
                if (q.isEmpty()) {
                    try {
                        lock.wait(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    continue;
                }
                next = q.get();
                runningJobId = next.job().jobId();
                runningQueued = next;
                cancelledBy = null;
            }
            try {
                new JobRun(parts, next, () -> cancelledBy).run();
            } finally {
                runningJobId = null;
                runningQueued = null;
            }
        }
    }

    /** Waits {@code d}, or less when the service stops. */
    private void pause(Duration d) {
        synchronized (lock) {
            try {
                lock.wait(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (worker != null) {
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
