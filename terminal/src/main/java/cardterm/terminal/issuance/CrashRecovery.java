package cardterm.terminal.issuance;

import static cardterm.terminal.issuance.FailureCode.INTERRUPTED;

import cardterm.devices.printer.CardPrinter;
import cardterm.devices.printer.PrinterException;
import cardterm.terminal.issuance.IssuanceJournal.JobRow;
import cardterm.terminal.issuance.IssuanceJournal.Phase;
import cardterm.terminal.issuance.IssuanceJournal.State;
import cardterm.terminal.issuance.JobRecorder.JobRef;
import cardterm.terminal.issuance.JobRecorder.RunTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends what a crash left, on the worker before any new job runs (package-info, "Crash safety"):
 * reports again the ends whose last event may be missing, ends the job that was running from what
 * its journal says ({@link JournalReplay}: its card rejected with {@code Er}, retried while the
 * printer does not answer; {@code INTERRUPTED} with the records the card acknowledged, or completed
 * when {@code Eo} had run), fails the jobs still queued, and forgets jobs ended long ago. Never
 * resumes or repeats a chip step.
 */
final class CrashRecovery {
    private static final Logger log = LoggerFactory.getLogger(IssuanceService.class); // issuance's log name
    /** How often recovery tries {@code Er} while the printer does not answer. */
    static final int ATTEMPTS = 30;
    static final Duration PAUSE = Duration.ofSeconds(2);
    /** Ended jobs are remembered this long (a job id is never run twice within it). */
    static final Duration KEEP_JOBS = Duration.ofDays(30);

    /** What the journal held when the service started: only what the crash left. */
    record Leftovers(List<JobRow> unreported, List<JobRow> unfinished) {}

    private enum RejectResult { REJECTED, NO_CARD, FAILED }

    private final IssuanceJournal journal;
    private final IssuanceEvents events;
    private final JobRecorder recorder;
    private final CardPrinter printer;
    private final Clock clock;
    private final BooleanSupplier running;
    private final Consumer<Duration> pause;

    /**
     * @param running false once the service stops: recovery stops retrying and leaves the job open
     * @param pause waits between two {@code Er} tries (returns early when the service stops)
     */
    CrashRecovery(IssuanceJournal journal, IssuanceEvents events, JobRecorder recorder, CardPrinter printer, Clock clock,
            BooleanSupplier running, Consumer<Duration> pause) {
        this.journal = Objects.requireNonNull(journal);
        this.events = Objects.requireNonNull(events);
        this.recorder = Objects.requireNonNull(recorder);
        this.printer = Objects.requireNonNull(printer);
        this.clock = Objects.requireNonNull(clock);
        this.running = Objects.requireNonNull(running);
        this.pause = Objects.requireNonNull(pause);
    }

    /** Reads what the crash left; to be taken before any new job can be accepted. */
    Leftovers leftovers() {
        return new Leftovers(journal.unreported(), journal.unfinished());
    }

    /** Ends every job in {@code left}, then prunes the journal. */
    void recover(Leftovers left) {
        for (JobRow r : left.unreported()) {
            log.info("job {}: reporting its end again after a restart", r.jobId());
            if (r.state() == State.COMPLETED) {
                events.step(r.jobId(), IssuanceStep.EJECT, -1);
            } else {
                events.failedAgain(r);
            }
            journal.reported(r.jobId());
        }
        for (JobRow r : left.unfinished()) {
            if (r.state() == State.QUEUED) {
                interrupted(r, Failure.of(INTERRUPTED, IssuanceStep.QUEUED)
                        .message("the terminal restarted before the job started; send it again under a new job id"));
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
            completed(r, replay);
            return;
        }
        if (!replay.feedStarted()) {
            interrupted(r, Failure.of(INTERRUPTED, IssuanceStep.FEED).records(replay.recordsWritten())
                    .message("interrupted before a card was fed"));
            return;
        }
        IssuanceStep at = replay.reached();
        Failure atStep = Failure.of(INTERRUPTED, at).records(replay.recordsWritten());
        switch (reject(r.jobId())) {
            case REJECTED -> interrupted(r, atStep.cardRejected(true)
                    .message("interrupted at " + at.wireName() + "; the card in the printer was rejected" + inDoubt));
            case NO_CARD -> {
                if (replay.ejectStarted() && !replay.rejectStarted()) {
                    log.info("job {}: Eo had been sent and the printer holds no card: the citizen has the card",
                            r.jobId());
                    journal.log(r.jobId(), IssuanceStep.EJECT, Phase.END, JournalReplay.OK);
                    completed(r, replay);
                } else {
                    interrupted(r, atStep.cardRejected(replay.rejectStarted())
                            .message("interrupted at " + at.wireName() + "; "
                                    + (replay.rejectStarted() ? "the card had been rejected already"
                                            : "no card was in the printer") + inDoubt));
                }
            }
            case FAILED -> {
                if (!running.getAsBoolean()) {
                    return; // stopped while recovering: the job stays open for the next start
                }
                interrupted(r, atStep.message("interrupted at " + at.wireName()
                        + "; the printer could not reject the card: it may still be inside" + inDoubt));
            }
        }
    }

    /** {@code Er} for a card a crash left, retried while the printer is busy or does not answer. */
    private RejectResult reject(String jobId) {
        for (int attempt = 1; attempt <= ATTEMPTS && running.getAsBoolean(); attempt++) {
            recorder.begin(jobId, IssuanceStep.REJECT, "recovery");
            try {
                printer.reject();
                recorder.done(IssuanceStep.REJECT);
                recorder.end(jobId, IssuanceStep.REJECT, JournalReplay.OK);
                return RejectResult.REJECTED;
            } catch (PrinterException e) {
                FailureCode code = FailureCode.of(e);
                if (code == FailureCode.NO_CARD) {
                    recorder.end(jobId, IssuanceStep.REJECT, code.wireName());
                    return RejectResult.NO_CARD;
                }
                recorder.end(jobId, IssuanceStep.REJECT, "ERR " + code.wireName());
                if (e.code().isPresent() && code != FailureCode.BUSY) {
                    log.warn("job {}: Er refused ({})", jobId, e.getMessage());
                    return RejectResult.FAILED;
                }
                log.info("job {}: printer not answering Er yet (attempt {}/{}): {}", jobId, attempt, ATTEMPTS,
                        e.getMessage());
                pause.accept(PAUSE);
            }
        }
        return RejectResult.FAILED;
    }

    private void completed(JobRow r, JournalReplay replay) {
        recorder.completed(r.jobId(), r.staffId(), replay.recordsWritten(),
                Duration.between(r.acceptedAt(), clock.instant()).toMillis(), 0, null, RunTime.start());
    }

    private void interrupted(JobRow r, Failure f) {
        recorder.interrupted(JobRef.of(r), f);
    }
}
