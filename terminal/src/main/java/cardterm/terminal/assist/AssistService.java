package cardterm.terminal.assist;

import cardterm.devices.concurrent.ServiceThreads;

import cardterm.devices.gpio.ButtonEvent;
import cardterm.devices.gpio.ButtonSettings;
import cardterm.devices.gpio.GpioBoard;
import cardterm.devices.health.MonitoredDevice;
import cardterm.terminal.assist.AssistConfig.ButtonConfig;
import cardterm.terminal.event.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assistance calls at the edge: wires the call points' buttons, lamps and buzzers to the
 * {@link CallStateMachine}, runs its escalation timer on the injected scheduler, and hands its
 * events to the {@link EventSink} on a thread of its own.
 *
 * <p>A press is answered on the lamp and buzzer at once, on the GPIO thread, before and whatever
 * happens to events: {@link EventSink#publish} may block for a disk commit and the hub may be
 * unreachable for hours, and lamps, buzzers and timers go on all the same. Events wait in a
 * bounded queue ({@value #MAX_QUEUED}) and keep their order.
 *
 * <p>Thread-safe: button events, timer ticks and staff commands are serialised on one lock.
 */
public final class AssistService implements AutoCloseable {
    /** Events waiting for the sink, at most. */
    public static final int MAX_QUEUED = 10_000;
    /** Tries per event before it is given up (each logged). */
    static final int PUBLISH_ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(AssistService.class);

    private final AssistConfig config;
    private final Map<String, AssistStation> stations;
    private final EventSink sink;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CallStateMachine machine;
    private final Object lock = new Object();

    private final BlockingQueue<AssistEffect.Publish> outbox = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread publisher;
    private volatile boolean publishing;

    private ScheduledFuture<?> timer;
    private Instant timerAt;
    private boolean started;
    private volatile boolean closed;

    /**
     * An assist service on given devices (one station per configured button, matched by the
     * button's device id). Call {@link #start()} to begin.
     *
     * @param scheduler runs the escalation timer; not shut down by {@link #close()}
     * @param clock     stamps every press, command and tick
     */
    public AssistService(AssistConfig config, List<AssistStation> stations, EventSink sink,
            ScheduledExecutorService scheduler, Clock clock) {
        this(config, stations, sink, scheduler, clock, () -> UUID.randomUUID().toString());
    }

    AssistService(AssistConfig config, List<AssistStation> stations, EventSink sink,
            ScheduledExecutorService scheduler, Clock clock, Supplier<String> callIds) {
        this.config = Objects.requireNonNull(config, "config");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stations = byButton(config, stations);
        this.machine = new CallStateMachine(config, callIds);
        this.publisher = ServiceThreads.named("cardterm-assist-events").unstarted(this::publishLoop);
    }

    /**
     * An assist service whose devices are made on {@code board} from each button's wiring: button
     * {@code id}, lamp {@code id.lamp}, buzzer {@code id.buzzer}. Call {@link #start()} to begin.
     */
    public static AssistService onBoard(AssistConfig config, GpioBoard board, EventSink sink,
            ScheduledExecutorService scheduler, Clock clock) {
        List<AssistStation> stations = new ArrayList<>();
        for (ButtonConfig b : config.buttons()) {
            AssistConfig.Wiring w = b.wiring();
            ButtonSettings settings = new ButtonSettings(w.pull(), w.buttonActive(), config.timing().buttonTiming());
            stations.add(new AssistStation(
                    board.button(b.id(), w.buttonPin(), settings),
                    board.lamp(b.lampId(), w.lampPin(), w.outputActive()),
                    board.buzzer(b.buzzerId(), w.buzzerPin(), w.outputActive())));
        }
        return new AssistService(config, stations, sink, scheduler, clock);
    }

    private static Map<String, AssistStation> byButton(AssistConfig config, List<AssistStation> stations) {
        Map<String, AssistStation> map = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (AssistStation s : stations) {
            if (config.button(s.buttonId()) == null) {
                problems.add("station " + s.buttonId() + " has no button in the config");
            } else if (map.putIfAbsent(s.buttonId(), s) != null) {
                problems.add("two stations for button " + s.buttonId());
            }
        }
        for (ButtonConfig b : config.buttons()) {
            if (!map.containsKey(b.id())) {
                problems.add("button " + b.id() + " has no station");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return Map.copyOf(map);
    }

    /** Starts listening to the buttons and publishing events. Idempotent. */
    public void start() {
        synchronized (lock) {
            if (started || closed) {
                return;
            }
            started = true;
            publishing = true;
            publisher.start();
            for (AssistStation s : stations.values()) {
                s.button().addListener(this::onButton);
            }
            reschedule();
        }
        log.info("assist: {} call point(s) ready", stations.size());
    }

    private void onButton(ButtonEvent event) {
        switch (event.type()) {
            case PRESSED -> step(() -> machine.press(event.buttonId(), clock.instant()));
            case LONG_PRESS -> step(() -> machine.longPress(event.buttonId(), clock.instant()));
            case STUCK -> log.warn("assist: button {} is stuck; its presses are ignored until released",
                    event.buttonId());
            case RELEASED -> { }
        }
    }

    private void onTimer() {
        synchronized (lock) {
            timer = null;
            timerAt = null;
        }
        step(() -> machine.tick(clock.instant()));
    }

    private void step(Supplier<List<AssistEffect>> transition) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            apply(transition.get());
            reschedule();
        }
    }

    /** Staff member {@code staffId} acknowledges call {@code callId} ({@code call-ack}). */
    public CallCommandResult ack(String callId, String staffId) {
        return command(() -> machine.acknowledge(callId, staffId, clock.instant()));
    }

    /** Staff member {@code staffId} resolves call {@code callId} ({@code call-resolve}). */
    public CallCommandResult resolve(String callId, String staffId) {
        return command(() -> machine.resolve(callId, staffId, clock.instant()));
    }

    private CallCommandResult command(Supplier<CallOutcome> transition) {
        synchronized (lock) {
            CallOutcome outcome = transition.get();
            if (!closed) {
                apply(outcome.effects());
                reschedule();
            }
            return outcome.result();
        }
    }

    /** The open calls, oldest first (for health). */
    public List<CallSnapshot> openCalls() {
        synchronized (lock) {
            return machine.openCalls();
        }
    }

    /** A call, open or recently closed. */
    public Optional<CallSnapshot> call(String callId) {
        synchronized (lock) {
            return machine.call(callId);
        }
    }

    /** Every button, lamp and buzzer, for health. */
    public List<MonitoredDevice> devices() {
        List<MonitoredDevice> all = new ArrayList<>();
        for (ButtonConfig b : config.buttons()) {
            AssistStation s = stations.get(b.id());
            all.add(s.button());
            all.add(s.lamp());
            all.add(s.buzzer());
        }
        return all;
    }

    /** Events waiting for the sink. */
    public int eventsWaiting() {
        return outbox.size();
    }

    /** Events the sink has stored. */
    public long eventsPublished() {
        return published.get();
    }

    /** Events given up: queue full, or the sink failed every try. Each one is logged. */
    public long eventsDropped() {
        return dropped.get();
    }

    // Holding the lock. Device effects first: the state machine already orders them so.
    private void apply(List<AssistEffect> effects) {
        for (AssistEffect e : effects) {
            switch (e) {
                case AssistEffect.ShowLamp l -> {
                    try {
                        stations.get(l.buttonId()).lamp().show(l.pattern());
                    } catch (RuntimeException ex) {
                        log.error("assist: lamp of {} failed", l.buttonId(), ex);
                    }
                }
                case AssistEffect.PlayBuzzer b -> {
                    try {
                        stations.get(b.buttonId()).buzzer().play(b.pattern());
                    } catch (RuntimeException ex) {
                        log.error("assist: buzzer of {} failed", b.buttonId(), ex);
                    }
                }
                case AssistEffect.Publish p -> {
                    if (!outbox.offer(p)) {
                        dropped.incrementAndGet();
                        log.error("assist: {} events waiting for the sink; dropped {} of call {}",
                                MAX_QUEUED, p.type(), p.data().path("callId").asText());
                    }
                }
            }
        }
    }

    // Holding the lock: one timer at most, at the machine's next deadline.
    private void reschedule() {
        if (!started || closed) {
            return;
        }
        Optional<Instant> next = machine.nextDeadline();
        if (next.isPresent() && next.get().equals(timerAt) && timer != null) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
            timerAt = null;
        }
        if (next.isEmpty()) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), next.get()).toNanos());
        try {
            timer = scheduler.schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
            timerAt = next.get();
        } catch (RejectedExecutionException e) {
            log.warn("assist: scheduler refused the escalation timer: {}", e.toString());
        }
    }

    private void publishLoop() {
        while (publishing || !outbox.isEmpty()) {
            AssistEffect.Publish p;
            try {
                p = outbox.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (p != null && !publish(p)) {
                return;
            }
        }
    }

    /** Publishes with a bounded number of tries; false if interrupted. */
    private boolean publish(AssistEffect.Publish p) {
        for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
            try {
                sink.publish(p.type(), p.data());
                published.incrementAndGet();
                return true;
            } catch (RuntimeException e) {
                log.error("assist: storing {} of call {} failed (try {} of {})", p.type(),
                        p.data().path("callId").asText(), attempt, PUBLISH_ATTEMPTS, e);
                if (attempt < PUBLISH_ATTEMPTS) {
                    try {
                        Thread.sleep(500L * attempt);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        }
        dropped.incrementAndGet();
        return true;
    }

    /**
     * Stops: no more button events or timer ticks are acted on; events already queued get up to
     * two seconds to reach the sink. Devices are left as they are (the board closes them).
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
        publishing = false;
        if (publisher.isAlive()) {
            try {
                publisher.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (publisher.isAlive()) {
                log.warn("assist: {} event(s) still waiting for the sink at close", outbox.size());
                publisher.interrupt();
            }
        }
    }
}
