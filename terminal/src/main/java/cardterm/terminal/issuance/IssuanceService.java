package cardterm.terminal.issuance;

import cardterm.devices.check.Problems;
import cardterm.devices.chip.ChipData;
import cardterm.devices.chip.ChipResult;
import cardterm.devices.printer.CardPrinter;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.Panel;
import cardterm.devices.printer.PrinterErrorCode;
import cardterm.devices.printer.PrinterException;
import cardterm.devices.printer.PrinterFlag;
import cardterm.devices.printer.PrinterStatus;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.face.CardFace;
import cardterm.devices.printer.face.CardFaceDevice;
import cardterm.devices.printer.face.CardFaceException;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.PanelSplitter;
import cardterm.terminal.audit.AuditEntry;
import cardterm.terminal.audit.AuditLog;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.issuance.IssuanceJournal.JobRow;
import cardterm.terminal.issuance.IssuanceJournal.Phase;
import cardterm.terminal.issuance.IssuanceJournal.State;
import cardterm.terminal.issuance.IssuanceJournal.Step;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-site issuance: takes jobs (the hub's {@code issue} command), queues them (elderly first), and
 * runs one at a time: printer ready check, {@code Sic}, chip personalization and verify, card face
 * print, {@code Eo}; on a chip failure no print and {@code Er}; on a printer error the card is
 * rejected where the printer can still move it. Every step is an {@code issuance.*} event.
 *
 * <p><b>Crash safety.</b> Every step's start and end (and each chip record the card acknowledged)
 * is committed to the {@link IssuanceJournal} before the step counts. When the service starts, it
 * first ends what a crash interrupted ({@link #recover()}): a job that was running has the card in
 * the printer rejected ({@code Er}; {@code NO_CARD} means no card is inside) and fails with
 * {@code INTERRUPTED} and the records the journal says were written; jobs still queued fail with
 * {@code INTERRUPTED} at step {@code queued} (their personal data was never stored, so the hub sends
 * them again under a new job id). A chip step is never resumed or repeated: no card is personalized
 * twice.
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
    public static final String CARD_FACE_UNAVAILABLE = "CARD_FACE_UNAVAILABLE";
    /** The code of a job a crash or power cut interrupted. */
    public static final String INTERRUPTED = "INTERRUPTED";
    /** How often recovery tries {@code Er} while the printer does not answer. */
    static final int RECOVERY_ATTEMPTS = 30;
    static final Duration RECOVERY_PAUSE = Duration.ofSeconds(2);
    /** Ended jobs are remembered this long (a job id is never run twice within it). */
    static final Duration KEEP_JOBS = Duration.ofDays(30);

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

    private final IssuancePolicy policy;
    private final Duration promised;
    private final ChipStation chip;
    private final CardPrinter printer;
    private final CardFaceDevice cardFace;
    private final PanelSplitter splitter = new PanelSplitter();
    private final EventSink events;
    private final Clock clock;
    private final IssuanceJournal journal;
    private final AuditLog audit;
    private final JobQueue<QueuedJob> queue = new JobQueue<>(QUEUE_CAPACITY);
    private final List<Consumer<Outcome>> outcomeListeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile Consumer<String> probe = p -> { };
    private volatile String runningJobId;
    private volatile String cancelledBy;
    private volatile boolean running;
    private volatile boolean recovered;
    /** {@link System#nanoTime()} of the worker's last sign of life: each turn of its loop, each step it starts. */
    private volatile long heartbeatNanos = System.nanoTime();
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
        this.chip = Objects.requireNonNull(chip);
        this.printer = Objects.requireNonNull(printer);
        this.cardFace = Objects.requireNonNull(cardFace);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        this.journal = Objects.requireNonNull(journal);
        this.audit = Objects.requireNonNull(audit);
    }

    public void addOutcomeListener(Consumer<Outcome> l) {
        outcomeListeners.add(l);
    }

    /**
     * A hook called on the worker thread at each journaled point ({@code card-feed.started}: after
     * the start was journaled, {@code card-feed.done}: after the printer answered, before the end is
     * journaled, {@code card-feed.ended}: after the end was journaled; likewise {@code printer-check},
     * {@code chip}, {@code record}, {@code print}, {@code eject}, {@code reject}, and
     * {@code job.accepted}, {@code job.started}, {@code completed.stored}). For crash tests: they
     * kill the process there.
     */
    public void setProbe(Consumer<String> probe) {
        this.probe = probe == null ? p -> { } : probe;
    }

    /** Starts the worker: it first ends what a crash interrupted, then runs queued jobs. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        // taken now, before any new job can be accepted: only what the crash left
        List<JobRow> unreported = journal.unreported();
        List<JobRow> unfinished = journal.unfinished();
        worker = Thread.ofPlatform().daemon().name("cardterm-issuance").start(() -> workLoop(unreported, unfinished));
    }

    /**
     * When the worker last showed it is alive ({@link System#nanoTime()}): it beats at least every
     * second while idle and at every step of a job, so a silence longer than the longest step means
     * it hangs (the systemd watchdog restarts the service; recovery then ends the job).
     */
    public long loopHeartbeatNanos() {
        return heartbeatNanos;
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
            renderer.get().check(face(job)).list().forEach(pr -> p.add(pr.field(), pr.message()));
        } catch (RuntimeException e) {
            p.add("card", e.getMessage());
        }
        if (!p.isEmpty()) {
            return Optional.of(new Refusal("INVALID", "the job cannot be printed", p));
        }
        int position;
        Instant acceptedAt = clock.instant();
        synchronized (lock) {
            if (job.jobId().equals(runningJobId) || queue.contains(job.jobId())) {
                return Optional.of(new Refusal("DUPLICATE", "job " + job.jobId() + " is queued or running already", p));
            }
            Optional<JobRow> known = journal.job(job.jobId());
            if (known.isPresent()) {
                return Optional.of(new Refusal("DUPLICATE", "job " + job.jobId() + " was taken before ("
                        + known.get().state() + (known.get().code() == null ? "" : " " + known.get().code())
                        + "): a job id is run once; send a new one", p));
            }
            if (queue.size() >= QUEUE_CAPACITY) {
                return Optional.of(new Refusal("BUSY", "the queue holds " + QUEUE_CAPACITY + " jobs already", p));
            }
            journal.accepted(job.jobId(), job.staffId(), acceptedAt, decision.elderly(),
                    decision.concession().type().eventName(), job.citizen().idNumber().masked(), promised.toMillis());
            queue.offer(job.jobId(), new QueuedJob(job, decision, acceptedAt), decision.elderly());
            position = queue.inOrder().stream().map(q -> q.job().jobId()).toList().indexOf(job.jobId());
        }
        probe.accept("job.accepted");
        ObjectNode d = data(job);
        d.put("elderly", decision.elderly());
        d.put("concession", decision.concession().type().eventName());
        d.put("position", position);
        d.put("promisedMs", promised.toMillis());
        d.put("maskedId", job.citizen().idNumber().masked());
        events.publish("issuance.accepted", d);
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("elderly", decision.elderly());
        a.put("age", decision.age());
        a.put("concession", decision.concession().type().eventName());
        a.put("optedOut", decision.optedOut());
        a.put("maskedId", job.citizen().idNumber().masked());
        auditQuietly(job.staffId(), "issuance.job.accepted", job.jobId(), a);
        synchronized (lock) {
            lock.notifyAll();
        }
        return Optional.empty();
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
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        if (q.isPresent()) {
            a.put("while", "queued");
            auditQuietly(by, "issuance.job.cancelled", jobId, a);
            failed(q.get(), "CANCELLED", "queued", false, List.of(), "cancelled by " + by + " before it started",
                    System.nanoTime(), new ChipStation.DeviceTime());
            return Optional.of("queued");
        }
        if (stopRunning) {
            journal.log(jobId, Step.CANCEL, Phase.START, by);
            a.put("while", "running");
            auditQuietly(by, "issuance.job.cancelled", jobId, a);
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

    private void workLoop(List<JobRow> unreported, List<JobRow> unfinished) {
        try {
            recover(unreported, unfinished);
        } catch (RuntimeException e) {
            log.error("recovery of interrupted jobs failed", e);
        }
        recovered = true;
        while (running) {
            heartbeatNanos = System.nanoTime();
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
                cancelledBy = null;
            }
            long t0 = System.nanoTime();
            ChipStation.DeviceTime time = new ChipStation.DeviceTime();
            try {
                run(next, t0, time);
            } catch (RuntimeException e) {
                log.error("job {} ended by an unexpected error", next.job().jobId(), e);
                try {
                    failed(next, "INTERNAL_ERROR", "card-fed", rejectCard(next.job().jobId(), time), List.of(),
                            e.getClass().getSimpleName(), t0, time);
                } catch (RuntimeException e2) {
                    log.error("job {} could not be ended: {}", next.job().jobId(), e2.toString());
                }
            } finally {
                runningJobId = null;
            }
        }
    }

    // ------------------------------------------------------------------ one job

    private void run(QueuedJob q, long t0, ChipStation.DeviceTime time) {
        IssuanceJob job = q.job();
        String id = job.jobId();
        Instant started = clock.instant();
        journal.started(id);
        probe.accept("job.started");
        CardFaceRenderer renderer = cardFace.renderer().orElse(null);
        if (renderer == null) { // no card is fed for a face that cannot be printed
            failed(q, CARD_FACE_UNAVAILABLE, "queued", false, List.of(), cardFace.problem().orElse(""), t0, time);
            return;
        }
        // 1. printer ready?
        begin(id, Step.CHECK, "");
        try {
            PrinterStatus st = timed(time, printer::status);
            probe.accept(Step.CHECK.id() + ".done");
            if (!st.canStartJob()) {
                end(id, Step.CHECK, "ERR PRINTER_NOT_READY");
                failed(q, "PRINTER_NOT_READY", "card-fed", false, List.of(), "printer " + st, t0, time);
                return;
            }
            end(id, Step.CHECK, JournalReplay.OK);
            if (st.has(PrinterFlag.CARD_IN_STATION)) {
                // a card left by an earlier job the printer could not reject then: never used, rejected now
                log.warn("job {}: a card was left in the printer; rejecting it first", id);
                rejectCard(id, time, JournalReplay.LEFTOVER);
            }
        } catch (PrinterException e) {
            end(id, Step.CHECK, "ERR " + printerCode(e));
            failed(q, printerCode(e), "card-fed", false, List.of(), e.getMessage(), t0, time);
            return;
        }
        if (cancelledBy != null) {
            failed(q, "CANCELLED", "card-fed", false, List.of(), "cancelled by " + cancelledBy, t0, time);
            return;
        }
        // 2. card into the encoder
        long feedStart = System.nanoTime();
        begin(id, Step.FEED, "");
        try {
            timed(time, () -> {
                printer.feedToEncoder();
                return null;
            });
            probe.accept(Step.FEED.id() + ".done");
            end(id, Step.FEED, JournalReplay.OK);
        } catch (PrinterException e) {
            end(id, Step.FEED, "ERR " + printerCode(e));
            failed(q, printerCode(e), "card-fed", rejectCard(id, time), List.of(), e.getMessage(), t0, time);
            return;
        }
        long feedMs = (System.nanoTime() - feedStart) / 1_000_000;
        step(job, "card-fed", started);
        if (cancelledBy != null) {
            failed(q, "CANCELLED", "chip-written", rejectCard(id, time), List.of(), "cancelled by " + cancelledBy, t0,
                    time);
            return;
        }
        // 3. chip: every record the card acknowledges is journaled before the next is sent
        long chipStart = System.nanoTime();
        begin(id, Step.CHIP, q.decision().concession().type().eventName());
        ChipResult result = chip.personalize(job.chipData(q.decision().concession()), new ChipStation.WriteListener() {
            @Override
            public void writing(String record) {
                begin(id, Step.RECORD, record);
            }

            @Override
            public void written(String record) {
                probe.accept(Step.RECORD.id() + ".done");
                end(id, Step.RECORD, record);
            }
        }, time);
        long chipMs = (System.nanoTime() - chipStart) / 1_000_000;
        probe.accept(Step.CHIP.id() + ".done");
        end(id, Step.CHIP, result.ok() ? JournalReplay.OK : "ERR " + result.outcome().name());
        if (!result.ok()) {
            String step = result.recordsWritten().isEmpty() && result.failedRecord() == null ? "chip-written"
                    : "chip-verified";
            failed(q, result.outcome().name(), step, rejectCard(id, time), result.recordsWritten(), result.detail(), t0,
                    time);
            return;
        }
        step(job, "chip-written", started);
        step(job, "chip-verified", started);
        if (cancelledBy != null) {
            failed(q, "CANCELLED", "printed", rejectCard(id, time), result.recordsWritten(),
                    "cancelled by " + cancelledBy, t0, time);
            return;
        }
        // 4. print the face
        long printStart = System.nanoTime();
        begin(id, Step.PRINT, "");
        try {
            RibbonType ribbon = timed(time, () -> printer.supplies().ribbon());
            BufferedImage front = renderer.renderFront(face(job));
            Map<Panel, byte[]> panels = splitter.split(front, ribbon);
            timed(time, () -> {
                printer.print(CardSide.FRONT, panels);
                return null;
            });
            probe.accept(Step.PRINT.id() + ".done");
            end(id, Step.PRINT, JournalReplay.OK);
        } catch (PrinterException e) {
            end(id, Step.PRINT, "ERR " + printerCode(e));
            failed(q, printerCode(e), "printed", rejectCard(id, time), result.recordsWritten(), e.getMessage(), t0, time);
            return;
        } catch (CardFaceException e) {
            end(id, Step.PRINT, "ERR CARD_FACE_FAILED");
            failed(q, "CARD_FACE_FAILED", "printed", rejectCard(id, time), result.recordsWritten(),
                    "card face could not be rendered", t0, time);
            return;
        }
        long printMs = (System.nanoTime() - printStart) / 1_000_000;
        step(job, "printed", started);
        if (cancelledBy != null) {
            failed(q, "CANCELLED", "ejected", rejectCard(id, time), result.recordsWritten(),
                    "cancelled by " + cancelledBy, t0, time);
            return;
        }
        // 5. stored as completed before the card goes to the citizen, then Eo
        long totalMs = Duration.between(q.acceptedAt(), clock.instant()).toMillis();
        ObjectNode d = data(job);
        d.put("elderly", q.decision().elderly());
        d.put("concession", q.decision().concession().type().eventName());
        ObjectNode ms = d.putObject("ms");
        ms.put("total", totalMs);
        ms.put("chip", chipMs);
        ms.put("print", printMs);
        ms.put("queue", Math.max(0, Duration.between(q.acceptedAt(), started).toMillis()));
        ms.put("feed", feedMs);
        d.put("promisedMs", promised.toMillis());
        d.put("overrunMs", Math.max(0, totalMs - promised.toMillis()));
        d.put("maskedId", job.citizen().idNumber().masked());
        events.publish("issuance.completed", d);
        probe.accept("completed.stored");
        begin(id, Step.EJECT, "");
        try {
            timed(time, () -> {
                printer.eject();
                return null;
            });
            probe.accept(Step.EJECT.id() + ".done");
            end(id, Step.EJECT, JournalReplay.OK);
        } catch (PrinterException e) {
            end(id, Step.EJECT, "ERR " + printerCode(e));
            failed(q, printerCode(e), "ejected", rejectCard(id, time), result.recordsWritten(),
                    e.getMessage() + " (the completed event is void: the card did not reach the citizen)", t0, time);
            return;
        }
        completed(id, job.staffId(), result.recordsWritten(), totalMs, overrun(totalMs), started, t0, time);
    }

    private void completed(String id, String staffId, List<String> records, long totalMs, long overrunMs,
            Instant started, long t0, ChipStation.DeviceTime time) {
        journal.finish(id, State.COMPLETED, null, "ejected", false, records, null);
        stepEvent(id, "ejected", started == null ? -1 : Duration.between(started, clock.instant()).toMillis());
        journal.reported(id);
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("totalMs", totalMs);
        a.put("overrunMs", overrunMs);
        ArrayNode w = a.putArray("recordsWritten");
        records.forEach(w::add);
        auditQuietly(staffId, "issuance.job.completed", id, a);
        tell(new Outcome(id, true, "OK", records, false, System.nanoTime() - t0, time.nanos()));
    }

    private long overrun(long totalMs) {
        return Math.max(0, totalMs - promised.toMillis());
    }

    // ------------------------------------------------------------------ recovery

    /**
     * Ends what a crash left: reports ended jobs whose last event may be missing, ends the running
     * job (its card rejected, {@code INTERRUPTED}) and fails jobs still queued. Runs on the worker
     * before any new job, on what the journal held when the service started.
     */
    private void recover(List<JobRow> unreported, List<JobRow> unfinished) {
        for (JobRow r : unreported) {
            log.info("job {}: reporting its end again after a restart", r.jobId());
            if (r.state() == State.COMPLETED) {
                stepEvent(r.jobId(), "ejected", -1);
            } else {
                failedEvent(r.jobId(), r.staffId(), r.code(), r.step(), r.cardRejected(), r.recordsWritten(), r.message(),
                        -1, r.maskedId());
            }
            journal.reported(r.jobId());
        }
        for (JobRow r : unfinished) {
            if (r.state() == State.QUEUED) {
                endInterrupted(r, "queued", false, List.of(), "the terminal restarted before the job started; "
                        + "send it again under a new job id");
                continue;
            }
            recoverRunning(r);
        }
        try {
            int pruned = journal.prune(KEEP_JOBS);
            if (pruned > 0) {
                log.info("forgot {} issuance jobs ended more than {} ago", pruned, KEEP_JOBS);
            }
        } catch (RuntimeException e) {
            log.warn("could not prune the issuance journal: {}", e.toString());
        }
    }

    private void recoverRunning(JobRow r) {
        JournalReplay replay = JournalReplay.of(journal.entries(r.jobId()));
        log.warn("job {} was interrupted (journal: {}); ending it", r.jobId(), replay);
        String inDoubt = replay.recordInDoubt().map(rec -> "; the write of " + rec + " was not acknowledged").orElse("");
        if (replay.ejectDone()) {
            completed(r.jobId(), r.staffId(), replay.recordsWritten(), Duration.between(r.acceptedAt(), clock.instant())
                    .toMillis(), 0, null, System.nanoTime(), new ChipStation.DeviceTime());
            return;
        }
        if (!replay.feedStarted()) {
            endInterrupted(r, "card-fed", false, replay.recordsWritten(), "interrupted before a card was fed");
            return;
        }
        RejectResult rej = rejectForRecovery(r.jobId());
        switch (rej) {
            case REJECTED -> endInterrupted(r, replay.stepReached(), true, replay.recordsWritten(),
                    "interrupted at " + replay.stepReached() + "; the card in the printer was rejected" + inDoubt);
            case NO_CARD -> {
                if (replay.ejectStarted() && !replay.rejectStarted()) {
                    log.info("job {}: Eo had been sent and the printer holds no card: the citizen has the card",
                            r.jobId());
                    journal.log(r.jobId(), Step.EJECT, Phase.END, JournalReplay.OK);
                    completed(r.jobId(), r.staffId(), replay.recordsWritten(),
                            Duration.between(r.acceptedAt(), clock.instant()).toMillis(), 0, null, System.nanoTime(),
                            new ChipStation.DeviceTime());
                } else {
                    endInterrupted(r, replay.stepReached(), replay.rejectStarted(), replay.recordsWritten(),
                            "interrupted at " + replay.stepReached() + "; "
                                    + (replay.rejectStarted() ? "the card had been rejected already"
                                            : "no card was in the printer") + inDoubt);
                }
            }
            case FAILED -> {
                if (!running) {
                    return; // stopped while recovering: the job stays open for the next start
                }
                endInterrupted(r, replay.stepReached(), false, replay.recordsWritten(),
                    "interrupted at " + replay.stepReached() + "; the printer could not reject the card: "
                            + "it may still be inside" + inDoubt);
            }
        }
    }

    private enum RejectResult { REJECTED, NO_CARD, FAILED }

    private RejectResult rejectForRecovery(String jobId) {
        for (int attempt = 1; attempt <= RECOVERY_ATTEMPTS && running; attempt++) {
            begin(jobId, Step.REJECT, "recovery");
            try {
                printer.reject();
                probe.accept(Step.REJECT.id() + ".done");
                end(jobId, Step.REJECT, JournalReplay.OK);
                return RejectResult.REJECTED;
            } catch (PrinterException e) {
                if (e.code().filter(c -> c == PrinterErrorCode.NO_CARD).isPresent()) {
                    end(jobId, Step.REJECT, "NO_CARD");
                    return RejectResult.NO_CARD;
                }
                end(jobId, Step.REJECT, "ERR " + printerCode(e));
                if (e.code().isPresent() && e.code().get() != PrinterErrorCode.BUSY) {
                    log.warn("job {}: Er refused ({})", jobId, e.getMessage());
                    return RejectResult.FAILED;
                }
                log.info("job {}: printer not answering Er yet (attempt {}/{}): {}", jobId, attempt, RECOVERY_ATTEMPTS,
                        e.getMessage());
                pause(RECOVERY_PAUSE);
            }
        }
        return RejectResult.FAILED;
    }

    private void pause(Duration d) {
        synchronized (lock) {
            try {
                lock.wait(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void endInterrupted(JobRow r, String step, boolean rejected, List<String> records, String message) {
        journal.finish(r.jobId(), State.FAILED, INTERRUPTED, step, rejected, records, message);
        failedEvent(r.jobId(), r.staffId(), INTERRUPTED, step, rejected, records, message, -1, r.maskedId());
        journal.reported(r.jobId());
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("code", INTERRUPTED);
        a.put("step", step);
        a.put("cardRejected", rejected);
        ArrayNode w = a.putArray("recordsWritten");
        records.forEach(w::add);
        a.put("by", AuditEntry.TERMINAL);
        auditQuietly(r.staffId(), "issuance.job.failed", r.jobId(), a);
        log.warn("job {} failed: INTERRUPTED at {} (card {}), records written {}", r.jobId(), step,
                rejected ? "rejected" : "not rejected", records);
        tell(new Outcome(r.jobId(), false, INTERRUPTED, records, rejected, 0, 0));
    }

    // ------------------------------------------------------------------ helpers

    private interface PrinterCall<T> {
        T call() throws PrinterException;
    }

    private static <T> T timed(ChipStation.DeviceTime time, PrinterCall<T> call) throws PrinterException {
        long t0 = System.nanoTime();
        try {
            return call.call();
        } finally {
            time.add(System.nanoTime() - t0);
        }
    }

    private void begin(String jobId, Step step, String detail) {
        heartbeatNanos = System.nanoTime();
        journal.log(jobId, step, Phase.START, detail);
        probe.accept(step.id() + ".started");
    }

    private void end(String jobId, Step step, String detail) {
        journal.log(jobId, step, Phase.END, detail);
        probe.accept(step.id() + ".ended");
    }

    private static CardFace face(IssuanceJob job) {
        return new CardFace(job.citizen().name(), job.citizen().idNumber(), job.card().cardNumber(),
                job.card().issueDate(), job.photo().map(IssuanceJob.Photo::bytes).orElse(null));
    }

    /** {@code Er}, journaled; whether the card went to the reject box. */
    private boolean rejectCard(String jobId, ChipStation.DeviceTime time) {
        return rejectCard(jobId, time, "");
    }

    private boolean rejectCard(String jobId, ChipStation.DeviceTime time, String why) {
        begin(jobId, Step.REJECT, why);
        try {
            timed(time, () -> {
                printer.reject();
                return null;
            });
            probe.accept(Step.REJECT.id() + ".done");
            end(jobId, Step.REJECT, JournalReplay.OK);
            return true;
        } catch (PrinterException e) {
            end(jobId, Step.REJECT, "ERR " + printerCode(e));
            log.warn("card could not be rejected: {}", e.getMessage());
            return false;
        }
    }

    private static String printerCode(PrinterException e) {
        return e.code().map(Enum::name).orElse(switch (e.failure()) {
            case TIMEOUT -> "PRINTER_TIMEOUT";
            case LINK_DOWN -> "PRINTER_UNAVAILABLE";
            case REFUSED -> "PRINTER_ERROR";
        });
    }

    private void step(IssuanceJob job, String step, Instant started) {
        stepEvent(job.jobId(), step, Duration.between(started, clock.instant()).toMillis());
    }

    private void stepEvent(String jobId, String step, long ms) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("jobId", jobId);
        d.put("step", step);
        if (ms >= 0) {
            d.put("ms", ms);
        }
        events.publish("issuance.step", d);
    }

    private void failed(QueuedJob q, String code, String step, boolean rejected, List<String> written, String message,
            long t0, ChipStation.DeviceTime time) {
        String id = q.job().jobId();
        journal.finish(id, State.FAILED, code, step, rejected, written, message);
        failedEvent(id, q.job().staffId(), code, step, rejected, written, message,
                Duration.between(q.acceptedAt(), clock.instant()).toMillis(), q.job().citizen().idNumber().masked());
        journal.reported(id);
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("code", code);
        a.put("step", step);
        a.put("cardRejected", rejected);
        ArrayNode w = a.putArray("recordsWritten");
        written.forEach(w::add);
        auditQuietly(q.job().staffId(), "issuance.job.failed", id, a);
        log.info("job {} failed: {} at {} (card {})", id, code, step, rejected ? "rejected" : "not rejected");
        tell(new Outcome(id, false, code, new ArrayList<>(written), rejected, System.nanoTime() - t0, time.nanos()));
    }

    private void failedEvent(String jobId, String staffId, String code, String step, boolean rejected, List<String> written,
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
            d.put("message", message.length() > 500 ? message.substring(0, 500) : message);
        }
        if (ms >= 0) {
            d.put("ms", ms);
        }
        if (maskedId != null) {
            d.put("maskedId", maskedId);
        }
        events.publish("issuance.failed", d);
    }

    private void auditQuietly(String staffId, String action, String subject, ObjectNode detail) {
        try {
            audit.record(staffId, action, subject, detail);
        } catch (RuntimeException e) {
            log.error("audit entry {} for {} not stored: {}", action, subject, e.toString());
        }
    }

    private static ObjectNode data(IssuanceJob job) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("jobId", job.jobId());
        d.put("staffId", job.staffId());
        return d;
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
