package cardterm.terminal.issuance;

import cardterm.devices.check.Problems;
import cardterm.devices.chip.ChipPersonalizer;
import cardterm.devices.chip.ChipResult;
import cardterm.devices.printer.CardPrinter;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.Panel;
import cardterm.devices.printer.PrinterException;
import cardterm.devices.printer.PrinterStatus;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.face.CardFace;
import cardterm.devices.printer.face.CardFaceDevice;
import cardterm.devices.printer.face.CardFaceException;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.PanelSplitter;
import cardterm.terminal.hub.EventSink;
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
 * rejected where the printer can still move it. Every step is an {@code issuance.*} event; the
 * {@code issuance.completed} event is stored before the card is ejected to the citizen.
 */
public final class IssuanceService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IssuanceService.class);
    public static final int QUEUE_CAPACITY = 200;
    /** Refusal and failure code while the card face has no usable font ({@link CardFaceDevice}). */
    public static final String CARD_FACE_UNAVAILABLE = "CARD_FACE_UNAVAILABLE";

    /** A job in the queue with the policy's decision and when it was accepted. */
    public record QueuedJob(IssuanceJob job, IssuancePolicy.Decision decision, Instant acceptedAt) {}

    /** What became of a job, for the console and tests. */
    public record Outcome(String jobId, boolean completed, String code, List<String> recordsWritten, boolean cardRejected) {}

    /** Why a job was refused at submission. */
    public record Refusal(String code, String message, Problems problems) {}

    private final IssuancePolicy policy;
    private final Duration promised;
    private final ChipPersonalizer personalizer;
    private final CardPrinter printer;
    private final CardFaceDevice cardFace;
    private final PanelSplitter splitter = new PanelSplitter();
    private final EventSink events;
    private final Clock clock;
    private final JobQueue<QueuedJob> queue = new JobQueue<>(QUEUE_CAPACITY);
    private final List<Consumer<Outcome>> outcomeListeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile String runningJobId;
    private volatile boolean cancelRunning;
    private volatile boolean running;
    private Thread worker;

    public IssuanceService(IssuancePolicy policy, Duration promised, ChipPersonalizer personalizer, CardPrinter printer,
            CardFaceRenderer renderer, EventSink events, Clock clock) {
        this(policy, promised, personalizer, printer, CardFaceDevice.ready(renderer, clock), events, clock);
    }

    /** Issuance on a card face that may be unusable: then every job is refused, no card is fed. */
    public IssuanceService(IssuancePolicy policy, Duration promised, ChipPersonalizer personalizer, CardPrinter printer,
            CardFaceDevice cardFace, EventSink events, Clock clock) {
        this.policy = Objects.requireNonNull(policy);
        this.promised = Objects.requireNonNull(promised);
        this.personalizer = Objects.requireNonNull(personalizer);
        this.printer = Objects.requireNonNull(printer);
        this.cardFace = Objects.requireNonNull(cardFace);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
    }

    public void addOutcomeListener(Consumer<Outcome> l) {
        outcomeListeners.add(l);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = Thread.ofPlatform().daemon().name("cardterm-issuance").start(this::workLoop);
    }

    /**
     * Checks and queues a job. Empty when accepted (an {@code issuance.accepted} event is stored
     * before this returns), else why not, with every problem.
     */
    public Optional<Refusal> submit(IssuanceJob job) {
        Problems p = new Problems();
        Optional<CardFaceRenderer> renderer = cardFace.renderer();
        if (renderer.isEmpty()) {
            return Optional.of(new Refusal(CARD_FACE_UNAVAILABLE, "no card can be printed: "
                    + cardFace.problem().orElse("card face unavailable"), p));
        }
        IssuancePolicy.Decision decision = policy.decide(job);
        job.chipData(decision.concession()); // validated again by the chip layer below
        try {
            renderer.get().check(face(job)).list().forEach(pr -> p.add(pr.field(), pr.message()));
        } catch (RuntimeException e) {
            p.add("card", e.getMessage());
        }
        if (!p.isEmpty()) {
            return Optional.of(new Refusal("INVALID", "the job cannot be printed", p));
        }
        int position;
        synchronized (lock) {
            if (job.jobId().equals(runningJobId)) {
                return Optional.of(new Refusal("DUPLICATE", "job " + job.jobId() + " is running", p));
            }
            Optional<JobQueue.Refusal> r = queue.offer(job.jobId(), new QueuedJob(job, decision, clock.instant()),
                    decision.elderly());
            if (r.isPresent()) {
                return Optional.of(r.get() == JobQueue.Refusal.FULL
                        ? new Refusal("BUSY", "the queue holds " + QUEUE_CAPACITY + " jobs already", p)
                        : new Refusal("DUPLICATE", "job " + job.jobId() + " is queued already", p));
            }
            position = queue.inOrder().stream().map(q -> q.job().jobId()).toList().indexOf(job.jobId()) + 1;
        }
        ObjectNode d = data(job);
        d.put("elderly", decision.elderly());
        d.put("concession", decision.concession().type().eventName());
        d.put("position", position);
        d.put("promisedMs", promised.toMillis());
        d.put("maskedId", job.citizen().idNumber().masked());
        events.publish("issuance.accepted", d);
        synchronized (lock) {
            lock.notifyAll();
        }
        return Optional.empty();
    }

    /**
     * Cancels a queued job, or asks the running one to stop at its next safe point (card rejected).
     *
     * @return "queued", "running" or empty when no such job waits or runs
     */
    public Optional<String> cancel(String jobId) {
        Optional<QueuedJob> q;
        synchronized (lock) {
            q = queue.cancel(jobId);
            if (q.isEmpty() && jobId.equals(runningJobId)) {
                cancelRunning = true;
                return Optional.of("running");
            }
        }
        if (q.isPresent()) {
            failed(q.get(), "CANCELLED", "queued", false, List.of(), "cancelled before it started", q.get().acceptedAt());
            return Optional.of("queued");
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

    private void workLoop() {
        while (running) {
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
                cancelRunning = false;
            }
            try {
                run(next);
            } catch (RuntimeException e) {
                log.error("job {} ended by an unexpected error", next.job().jobId(), e);
                failed(next, "INTERNAL_ERROR", "card-fed", rejectQuietly(), List.of(), e.getClass().getSimpleName(),
                        next.acceptedAt());
            } finally {
                runningJobId = null;
            }
        }
    }

    private void run(QueuedJob q) {
        IssuanceJob job = q.job();
        Instant started = clock.instant();
        CardFaceRenderer renderer = cardFace.renderer().orElse(null);
        if (renderer == null) { // no card is fed for a face that cannot be printed
            failed(q, CARD_FACE_UNAVAILABLE, "queued", false, List.of(), cardFace.problem().orElse(""), started);
            return;
        }
        // 1. printer ready?
        try {
            PrinterStatus st = printer.status();
            if (!st.canStartJob()) {
                failed(q, "PRINTER_NOT_READY", "card-fed", false, List.of(), "printer " + st, started);
                return;
            }
        } catch (PrinterException e) {
            failed(q, printerCode(e), "card-fed", false, List.of(), e.getMessage(), started);
            return;
        }
        // 2. card into the encoder
        try {
            printer.feedToEncoder();
        } catch (PrinterException e) {
            failed(q, printerCode(e), "card-fed", rejectQuietly(), List.of(), e.getMessage(), started);
            return;
        }
        step(job, "card-fed", started);
        if (cancelRunning) {
            failed(q, "CANCELLED", "chip-written", rejectQuietly(), List.of(), "cancelled", started);
            return;
        }
        // 3. chip
        Instant chipStart = clock.instant();
        ChipResult chip = personalizer.personalize(job.chipData(q.decision().concession()));
        long chipMs = Duration.between(chipStart, clock.instant()).toMillis();
        if (!chip.ok()) {
            String step = chip.recordsWritten().isEmpty() ? "chip-written" : "chip-verified";
            failed(q, chip.outcome().name(), step, rejectQuietly(), chip.recordsWritten(), chip.detail(), started);
            return;
        }
        step(job, "chip-written", started);
        step(job, "chip-verified", started);
        if (cancelRunning) {
            failed(q, "CANCELLED", "printed", rejectQuietly(), chip.recordsWritten(), "cancelled", started);
            return;
        }
        // 4. print the face
        Instant printStart = clock.instant();
        try {
            RibbonType ribbon = printer.supplies().ribbon();
            BufferedImage front = renderer.renderFront(face(job));
            Map<Panel, byte[]> panels = splitter.split(front, ribbon);
            printer.print(CardSide.FRONT, panels);
        } catch (PrinterException e) {
            failed(q, printerCode(e), "printed", rejectQuietly(), chip.recordsWritten(), e.getMessage(), started);
            return;
        } catch (CardFaceException e) {
            failed(q, "CARD_FACE_FAILED", "printed", rejectQuietly(), chip.recordsWritten(), "card face could not be rendered", started);
            return;
        }
        long printMs = Duration.between(printStart, clock.instant()).toMillis();
        step(job, "printed", started);
        // 5. stored as completed before the card goes to the citizen
        long totalMs = Duration.between(q.acceptedAt(), clock.instant()).toMillis();
        ObjectNode d = data(job);
        d.put("elderly", q.decision().elderly());
        d.put("concession", q.decision().concession().type().eventName());
        ObjectNode ms = d.putObject("ms");
        ms.put("total", totalMs);
        ms.put("chip", chipMs);
        ms.put("print", printMs);
        ms.put("queue", Duration.between(q.acceptedAt(), started).toMillis());
        d.put("promisedMs", promised.toMillis());
        d.put("overrunMs", Math.max(0, totalMs - promised.toMillis()));
        d.put("maskedId", job.citizen().idNumber().masked());
        events.publish("issuance.completed", d);
        try {
            printer.eject();
        } catch (PrinterException e) {
            failed(q, printerCode(e), "ejected", rejectQuietly(), chip.recordsWritten(), e.getMessage(), started);
            return;
        }
        step(job, "ejected", started);
        tell(new Outcome(job.jobId(), true, "OK", chip.recordsWritten(), false));
    }

    private static CardFace face(IssuanceJob job) {
        return new CardFace(job.citizen().name(), job.citizen().idNumber(), job.card().cardNumber(),
                job.card().issueDate(), job.photo().map(IssuanceJob.Photo::bytes).orElse(null));
    }

    private boolean rejectQuietly() {
        try {
            printer.reject();
            return true;
        } catch (PrinterException e) {
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
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("jobId", job.jobId());
        d.put("step", step);
        d.put("ms", Duration.between(started, clock.instant()).toMillis());
        events.publish("issuance.step", d);
    }

    private void failed(QueuedJob q, String code, String step, boolean rejected, List<String> written, String message,
            Instant started) {
        ObjectNode d = data(q.job());
        d.put("code", code);
        d.put("step", step);
        d.put("cardRejected", rejected);
        ArrayNode w = d.putArray("recordsWritten");
        written.forEach(w::add);
        if (message != null && !message.isBlank()) {
            d.put("message", message.length() > 500 ? message.substring(0, 500) : message);
        }
        d.put("ms", Duration.between(started, clock.instant()).toMillis());
        d.put("maskedId", q.job().citizen().idNumber().masked());
        events.publish("issuance.failed", d);
        log.info("job {} failed: {} at {} (card {})", q.job().jobId(), code, step, rejected ? "rejected" : "not rejected");
        tell(new Outcome(q.job().jobId(), false, code, new ArrayList<>(written), rejected));
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
