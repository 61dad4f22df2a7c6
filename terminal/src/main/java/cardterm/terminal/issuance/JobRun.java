package cardterm.terminal.issuance;

import static cardterm.terminal.issuance.FailureCode.CANCELLED;
import static cardterm.terminal.issuance.FailureCode.CARD_FACE_FAILED;
import static cardterm.terminal.issuance.FailureCode.CARD_FACE_UNAVAILABLE;
import static cardterm.terminal.issuance.FailureCode.INTERNAL_ERROR;
import static cardterm.terminal.issuance.FailureCode.PRINTER_NOT_READY;
import static cardterm.terminal.issuance.IssuanceStep.CHECK;
import static cardterm.terminal.issuance.IssuanceStep.CHIP;
import static cardterm.terminal.issuance.IssuanceStep.EJECT;
import static cardterm.terminal.issuance.IssuanceStep.FEED;
import static cardterm.terminal.issuance.IssuanceStep.PRINT;
import static cardterm.terminal.issuance.IssuanceStep.QUEUED;
import static cardterm.terminal.issuance.IssuanceStep.RECORD;
import static cardterm.terminal.issuance.IssuanceStep.REJECT;
import static cardterm.terminal.issuance.IssuanceStep.VERIFY;

import cardterm.devices.chip.ChipResult;
import cardterm.devices.printer.CardPrinter;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.Panel;
import cardterm.devices.printer.PrinterException;
import cardterm.devices.printer.PrinterFlag;
import cardterm.devices.printer.PrinterStatus;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.face.CardFace;
import cardterm.devices.printer.face.CardFaceDevice;
import cardterm.devices.printer.face.CardFaceException;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.PanelSplitter;
import cardterm.terminal.issuance.IssuanceService.QueuedJob;
import cardterm.terminal.issuance.JobRecorder.JobRef;
import cardterm.terminal.issuance.JobRecorder.RunTime;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's run, on the worker thread: printer ready check, {@code Sic}, chip personalization and
 * verify, card face print, {@code issuance.completed} stored, {@code Eo}. On a chip failure no print
 * and {@code Er}; on a printer error the card is rejected where the printer can still move it; a
 * cancel is honoured between steps (the card rejected). Every step's start and end is journaled
 * before the next device command goes out (package-info); a chip step is never repeated.
 */
final class JobRun {
    private static final Logger log = LoggerFactory.getLogger(IssuanceService.class); // issuance's log name
    private static final PanelSplitter SPLITTER = new PanelSplitter();

    /** What every run uses, made once by the service. */
    record Parts(ChipStation chip, CardPrinter printer, CardFaceDevice cardFace, Clock clock, Duration promised,
            IssuanceEvents events, JobRecorder recorder) {
        Parts {
            Objects.requireNonNull(chip);
            Objects.requireNonNull(printer);
            Objects.requireNonNull(cardFace);
            Objects.requireNonNull(clock);
            Objects.requireNonNull(promised);
            Objects.requireNonNull(events);
            Objects.requireNonNull(recorder);
        }
    }

    private final Parts parts;
    private final JobRecorder recorder;
    private final CardPrinter printer;
    private final Clock clock;
    private final QueuedJob q;
    private final String id;
    private final Supplier<String> cancelledBy;
    private final RunTime time = RunTime.start();

    /**
     * @param cancelledBy who asked to cancel this job while it runs; null while nobody did
     */
    JobRun(Parts parts, QueuedJob q, Supplier<String> cancelledBy) {
        this.parts = parts;
        this.recorder = parts.recorder();
        this.printer = parts.printer();
        this.clock = parts.clock();
        this.q = Objects.requireNonNull(q);
        this.id = q.job().jobId();
        this.cancelledBy = Objects.requireNonNull(cancelledBy);
    }

    /** Runs the job to its end; never throws: an unexpected error ends it INTERNAL_ERROR, its card rejected. */
    void run() {
        try {
            steps();
        } catch (RuntimeException e) {
            log.error("job {} ended by an unexpected error", id, e);
            try {
                fail(Failure.of(INTERNAL_ERROR, FEED).cardRejected(rejectCard("")).message(e.getClass().getSimpleName()));
            } catch (RuntimeException e2) {
                log.error("job {} could not be ended: {}", id, e2.toString());
            }
        }
    }

    private void steps() {
        IssuanceJob job = q.job();
        Instant started = clock.instant();
        recorder.started(id);
        CardFaceRenderer renderer = parts.cardFace().renderer().orElse(null);
        if (renderer == null) { // no card is fed for a face that cannot be printed
            fail(Failure.of(CARD_FACE_UNAVAILABLE, QUEUED).message(parts.cardFace().problem().orElse("")));
            return;
        }
        // 1. printer ready?
        recorder.begin(id, CHECK, "");
        try {
            PrinterStatus st = timed(printer::status);
            recorder.done(CHECK);
            if (!st.canStartJob()) {
                recorder.end(id, CHECK, "ERR " + PRINTER_NOT_READY.wireName());
                fail(Failure.of(PRINTER_NOT_READY, FEED).message("printer " + st));
                return;
            }
            recorder.end(id, CHECK, JournalReplay.OK);
            if (st.has(PrinterFlag.CARD_IN_STATION)) {
                // a card left by an earlier job the printer could not reject then: never used, rejected now
                log.warn("job {}: a card was left in the printer; rejecting it first", id);
                rejectCard(JournalReplay.LEFTOVER);
            }
        } catch (PrinterException e) {
            FailureCode code = FailureCode.of(e);
            recorder.end(id, CHECK, "ERR " + code.wireName());
            fail(Failure.of(code, FEED).message(e.getMessage()));
            return;
        }
        if (cancelledBefore(FEED, false, List.of())) {
            return;
        }
        // 2. card into the encoder
        long feedStart = System.nanoTime();
        recorder.begin(id, FEED, "");
        try {
            timed(() -> {
                printer.feedToEncoder();
                return null;
            });
            recorder.done(FEED);
            recorder.end(id, FEED, JournalReplay.OK);
        } catch (PrinterException e) {
            FailureCode code = FailureCode.of(e);
            recorder.end(id, FEED, "ERR " + code.wireName());
            fail(Failure.of(code, FEED).cardRejected(rejectCard("")).message(e.getMessage()));
            return;
        }
        long feedMs = (System.nanoTime() - feedStart) / 1_000_000;
        reached(FEED, started);
        if (cancelledBefore(CHIP, true, List.of())) {
            return;
        }
        // 3. chip: every record the card acknowledges is journaled before the next is sent
        long chipStart = System.nanoTime();
        recorder.begin(id, CHIP, q.decision().concession().type().eventName());
        ChipResult result = parts.chip().personalize(job.chipData(q.decision().concession()),
                new ChipStation.WriteListener() {
                    @Override
                    public void writing(String record) {
                        recorder.begin(id, RECORD, record);
                    }

                    @Override
                    public void written(String record) {
                        recorder.done(RECORD);
                        recorder.end(id, RECORD, record);
                    }
                }, time.device());
        long chipMs = (System.nanoTime() - chipStart) / 1_000_000;
        recorder.done(CHIP);
        if (!result.ok()) {
            FailureCode code = FailureCode.of(result.outcome());
            recorder.end(id, CHIP, "ERR " + code.wireName());
            IssuanceStep step = result.recordsWritten().isEmpty() && result.failedRecord() == null ? CHIP : VERIFY;
            fail(Failure.of(code, step).cardRejected(rejectCard("")).records(result.recordsWritten())
                    .message(result.detail()));
            return;
        }
        recorder.end(id, CHIP, JournalReplay.OK);
        List<String> written = result.recordsWritten();
        reached(CHIP, started);
        reached(VERIFY, started);
        if (cancelledBefore(PRINT, true, written)) {
            return;
        }
        // 4. print the face
        long printStart = System.nanoTime();
        recorder.begin(id, PRINT, "");
        try {
            RibbonType ribbon = timed(() -> printer.supplies().ribbon());
            BufferedImage front = renderer.renderFront(face(job));
            Map<Panel, byte[]> panels = SPLITTER.split(front, ribbon);
            timed(() -> {
                printer.print(CardSide.FRONT, panels);
                return null;
            });
            recorder.done(PRINT);
            recorder.end(id, PRINT, JournalReplay.OK);
        } catch (PrinterException e) {
            FailureCode code = FailureCode.of(e);
            recorder.end(id, PRINT, "ERR " + code.wireName());
            fail(Failure.of(code, PRINT).cardRejected(rejectCard("")).records(written).message(e.getMessage()));
            return;
        } catch (CardFaceException e) {
            recorder.end(id, PRINT, "ERR " + CARD_FACE_FAILED.wireName());
            fail(Failure.of(CARD_FACE_FAILED, PRINT).cardRejected(rejectCard("")).records(written)
                    .message("card face could not be rendered"));
            return;
        }
        long printMs = (System.nanoTime() - printStart) / 1_000_000;
        reached(PRINT, started);
        if (cancelledBefore(EJECT, true, written)) {
            return;
        }
        // 5. stored as completed before the card goes to the citizen, then Eo
        long totalMs = Duration.between(q.acceptedAt(), clock.instant()).toMillis();
        long queueMs = Math.max(0, Duration.between(q.acceptedAt(), started).toMillis());
        parts.events().completed(job, q.decision(),
                new IssuanceEvents.Durations(totalMs, chipMs, printMs, queueMs, feedMs), parts.promised().toMillis());
        recorder.probe("completed.stored");
        recorder.begin(id, EJECT, "");
        try {
            timed(() -> {
                printer.eject();
                return null;
            });
            recorder.done(EJECT);
            recorder.end(id, EJECT, JournalReplay.OK);
        } catch (PrinterException e) {
            FailureCode code = FailureCode.of(e);
            recorder.end(id, EJECT, "ERR " + code.wireName());
            fail(Failure.of(code, EJECT).cardRejected(rejectCard("")).records(written)
                    .message(e.getMessage() + " (the completed event is void: the card did not reach the citizen)"));
            return;
        }
        recorder.completed(id, job.staffId(), written, totalMs, Math.max(0, totalMs - parts.promised().toMillis()),
                started, time);
    }

    /** {@code issuance.step}: the job reached {@code step}, timed from {@code started}. */
    private void reached(IssuanceStep step, Instant started) {
        parts.events().step(id, step, Duration.between(started, clock.instant()).toMillis());
    }

    /**
     * Whether a cancel was asked; then the job ends CANCELLED short of {@code step}, its card
     * rejected if one was fed.
     */
    private boolean cancelledBefore(IssuanceStep step, boolean cardFed, List<String> written) {
        String by = cancelledBy.get();
        if (by == null) {
            return false;
        }
        fail(Failure.of(CANCELLED, step).cardRejected(cardFed && rejectCard("")).records(written)
                .message("cancelled by " + by));
        return true;
    }

    private void fail(Failure f) {
        recorder.failed(JobRef.of(q), f, time);
    }

    /** {@code Er}, journaled with {@code why}; whether the card went to the reject box. */
    private boolean rejectCard(String why) {
        recorder.begin(id, REJECT, why);
        try {
            timed(() -> {
                printer.reject();
                return null;
            });
            recorder.done(REJECT);
            recorder.end(id, REJECT, JournalReplay.OK);
            return true;
        } catch (PrinterException e) {
            recorder.end(id, REJECT, "ERR " + FailureCode.of(e).wireName());
            log.warn("card could not be rejected: {}", e.getMessage());
            return false;
        }
    }

    private interface PrinterCall<T> {
        T call() throws PrinterException;
    }

    private <T> T timed(PrinterCall<T> call) throws PrinterException {
        long t0 = System.nanoTime();
        try {
            return call.call();
        } finally {
            time.device().add(System.nanoTime() - t0);
        }
    }

    /** What the card's face shows of {@code job}. */
    static CardFace face(IssuanceJob job) {
        return new CardFace(job.citizen().name(), job.citizen().idNumber(), job.card().cardNumber(),
                job.card().issueDate(), job.photo().map(IssuanceJob.Photo::bytes).orElse(null));
    }
}
