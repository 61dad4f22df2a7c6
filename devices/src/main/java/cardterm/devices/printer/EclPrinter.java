package cardterm.devices.printer;

import cardterm.bridge.BridgeException;
import cardterm.bridge.ecl.EclCommand;
import cardterm.bridge.ecl.EclErrorResponse;
import cardterm.bridge.ecl.EclSession;
import cardterm.bridge.ecl.EclTimeouts;
import cardterm.bridge.ecl.EclTimeoutException;
import cardterm.bridge.link.LinkDownException;
import cardterm.bridge.link.LinkListener;
import cardterm.bridge.link.LinkState;
import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTrackedDevice;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CardPrinter} driver for printers speaking {@code ecl} (printer-protocol.md), on an
 * {@link EclSession}. Sends {@code Pem;2} once per connection, polls {@code Rst}/{@code Rsp} while
 * idle, and turns the flags into health (error flags: DEGRADED with COVER_OPEN, JAM, SUPPLY_EMPTY
 * or DEVICE_ERROR; warnings: SUPPLY_LOW or MAINTENANCE_DUE; link down: OFFLINE/LINK_DOWN; no
 * answer: OFFLINE/COMMUNICATION_ERROR) and supply level changes into {@link SupplyEvent}s.
 *
 * <pre>{@code
 * PrinterLink link = PrinterLink.to("/dev/ttyACM0", PrinterLink.DEFAULT_BAUD).start();
 * EclPrinter printer = EclPrinter.builder(link).ownsLink(true)
 *         .pollInterval(Duration.ofSeconds(5)).supplyListener(events::publish).build().start();
 * }</pre>
 */
public final class EclPrinter extends HealthTrackedDevice implements CardPrinter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EclPrinter.class);

    private final EclSession session;
    private final Clock clock;
    private final Duration pollInterval;
    private final SupplyListener supplyListener;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final boolean ownsLink;
    private final AtomicInteger operations = new AtomicInteger();
    private final Map<Supply, SupplyLevel> levels = new EnumMap<>(Supply.class);
    private final LinkListener linkListener = this::linkChanged;
    private volatile Supplies lastSupplies;
    private volatile PrinterStatus lastStatus;
    private ScheduledFuture<?> pollTask;

    private EclPrinter(Builder b) {
        super(b.deviceId, b.clock);
        this.session = b.session;
        this.clock = b.clock;
        this.pollInterval = b.pollInterval;
        this.supplyListener = b.supplyListener;
        this.ownScheduler = b.scheduler == null;
        this.scheduler = ownScheduler ? cardterm.devices.concurrent.ServiceThreads.scheduler("printer-poll-" + b.deviceId, 1) : b.scheduler;
        this.ownsLink = b.ownsLink;
        for (Supply s : Supply.values()) {
            levels.put(s, SupplyLevel.UNKNOWN);
        }
        session.setGreeting(List.of(EclCommand.PEM_HOST));
    }

    /** A printer on {@code link}, with the default timeouts unless the builder sets others. */
    public static Builder builder(PrinterLink link) {
        return new Builder(Objects.requireNonNull(link, "link"), null);
    }

    /** A printer on a session made by the caller (its own timeouts, observers). */
    static Builder builder(EclSession session) {
        return new Builder(null, Objects.requireNonNull(session, "session"));
    }

    /** Builds an {@link EclPrinter}. */
    public static final class Builder {
        private final PrinterLink link;
        private EclSession session;
        private EclTimeouts timeouts = EclTimeouts.defaults();
        private String deviceId = DEVICE_ID;
        private Clock clock = Clock.systemUTC();
        private Duration pollInterval = Duration.ofSeconds(5);
        private SupplyListener supplyListener = e -> { };
        private ScheduledExecutorService scheduler;
        private boolean ownsLink;

        private Builder(PrinterLink link, EclSession session) {
            this.link = link;
            this.session = session;
        }

        /** How long a read or setting command ({@code Rst}, {@code Rsp}, {@code Pem}...) may take (default 2 s). */
        public Builder queryTimeout(Duration d) {
            requireLink();
            this.timeouts = timeouts.withQuery(d);
            return this;
        }

        /** How long a mechanical step ({@code Sic}, {@code Se}, {@code Eo}, {@code Er}...) may take (default 90 s). */
        public Builder mechanicalTimeout(Duration d) {
            requireLink();
            this.timeouts = timeouts.withMechanical(d);
            return this;
        }

        private void requireLink() {
            if (link == null) {
                throw new IllegalStateException("the session was made with its own timeouts");
            }
        }

        public Builder deviceId(String id) {
            this.deviceId = Objects.requireNonNull(id, "deviceId");
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** How often status and supplies are read while no operation runs (default 5 s). */
        public Builder pollInterval(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive: " + d);
            }
            this.pollInterval = d;
            return this;
        }

        public Builder supplyListener(SupplyListener l) {
            this.supplyListener = Objects.requireNonNull(l, "supplyListener");
            return this;
        }

        /** A shared scheduler for the polls (else the printer makes its own daemon thread). */
        public Builder scheduler(ScheduledExecutorService s) {
            this.scheduler = Objects.requireNonNull(s, "scheduler");
            return this;
        }

        /** Close the session's link when the printer is closed. */
        public Builder ownsLink(boolean owns) {
            this.ownsLink = owns;
            return this;
        }

        public EclPrinter build() {
            if (session == null) {
                session = new EclSession(link.link(), timeouts);
            }
            return new EclPrinter(this);
        }
    }

    /** Starts watching the link and polling; returns at once. */
    public synchronized EclPrinter start() {
        if (pollTask != null) {
            return this;
        }
        session.link().addListener(linkListener);
        LinkState now = session.link().state();
        if (now instanceof LinkState.Down d && session.link().hasTried()) {
            health.set(HealthReason.LINK_DOWN, d.reason());
        }
        pollTask = scheduler.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The last status read (by a poll or an operation), or null before the first. */
    public PrinterStatus lastStatus() {
        return lastStatus;
    }

    /** The last supplies read, or null before the first. */
    public Supplies lastSupplies() {
        return lastSupplies;
    }

    EclSession session() {
        return session;
    }

    // ---------------------------------------------------------------- CardPrinter

    @Override
    public PrinterStatus status() throws PrinterException {
        return run("status", () -> {
            PrinterStatus s = session.query(EclCommand.RST, PrinterStatus::parse);
            observe(s);
            return s;
        });
    }

    @Override
    public Supplies supplies() throws PrinterException {
        return run("supplies", () -> {
            Supplies s = session.query(EclCommand.RSP, Supplies::parse);
            lastSupplies = s;
            return s;
        });
    }

    @Override
    public PrinterInfo info() throws PrinterException {
        return run("info", () -> new PrinterInfo(session.query(EclCommand.RFV, EclPrinter::textLine),
                session.query(EclCommand.RSN, EclPrinter::textLine)));
    }

    /**
     * A free-text answer ({@code Rfv}, {@code Rsn}). A late answer to a status or supplies read is
     * refused, so the wait goes on for the real one.
     */
    private static String textLine(String line) {
        if (line.startsWith("ribbon=") || line.matches("(READY|BUSY|WARNING|ERROR);[A-Z_,]*")) {
            throw new IllegalArgumentException("an answer to another command");
        }
        return line;
    }

    @Override
    public void feedToEncoder() throws PrinterException {
        mechanical("feed", EclCommand.SIC);
    }

    @Override
    public void print(CardSide side, Map<Panel, byte[]> panels) throws PrinterException {
        Objects.requireNonNull(side, "side");
        Map<Panel, byte[]> copy = Map.copyOf(panels);
        RibbonType ribbon = supplies().ribbon();
        for (Panel p : ribbon.panels()) {
            byte[] data = copy.get(p);
            if (data == null && p != Panel.O) {
                throw new IllegalArgumentException("a " + ribbon + " ribbon needs panel " + p.code());
            }
            if (data != null && data.length != p.byteCount()) {
                throw new IllegalArgumentException("panel " + p.code() + " must be " + p.byteCount()
                        + " bytes, not " + data.length);
            }
        }
        run("print", () -> {
            session.execute(EclCommand.SS);
            for (Panel p : ribbon.panels()) {
                byte[] data = copy.getOrDefault(p, new byte[0]);
                session.download(EclCommand.download(p.code(), side.code(), data.length), data, 0, data.length);
            }
            session.execute(EclCommand.SE);
            return null;
        });
        pollSoon();
    }

    @Override
    public void eject() throws PrinterException {
        mechanical("eject", EclCommand.EO);
    }

    @Override
    public void reject() throws PrinterException {
        mechanical("reject", EclCommand.ER);
    }

    @Override
    public synchronized void close() {
        if (pollTask != null) {
            pollTask.cancel(false);
        }
        session.link().removeListener(linkListener);
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
        if (ownsLink) {
            session.link().close();
        }
    }

    // ---------------------------------------------------------------- internals

    @FunctionalInterface
    private interface Call<T> {
        T call() throws BridgeException;
    }

    private void mechanical(String operation, EclCommand command) throws PrinterException {
        run(operation, () -> {
            session.execute(command);
            return null;
        });
        pollSoon();
    }

    private <T> T run(String operation, Call<T> call) throws PrinterException {
        operations.incrementAndGet();
        try {
            return call.call();
        } catch (EclErrorResponse e) {
            PrinterStatus after = readStatusQuietly();
            throw new PrinterException(operation, PrinterException.Failure.REFUSED, PrinterErrorCode.of(e.code()), after,
                    operation + " refused by the printer: " + e.wireCode() + flagsText(after), e);
        } catch (EclTimeoutException e) {
            health.set(HealthReason.COMMUNICATION_ERROR, "no answer to " + e.command());
            PrinterStatus after = readStatusQuietly();
            throw new PrinterException(operation, PrinterException.Failure.TIMEOUT, null, after,
                    operation + ": the printer did not answer " + e.command() + " within "
                            + e.timeout().toMillis() + " ms" + flagsText(after), e);
        } catch (LinkDownException e) {
            linkDown(e);
            throw new PrinterException(operation, PrinterException.Failure.LINK_DOWN, null, null,
                    operation + ": printer link down: " + e.reason(), e);
        } catch (BridgeException e) {
            health.set(HealthReason.COMMUNICATION_ERROR, e.getMessage());
            throw new PrinterException(operation, PrinterException.Failure.LINK_DOWN, null, null,
                    operation + ": " + e.getMessage(), e);
        } finally {
            operations.decrementAndGet();
        }
    }

    /** The link is down: LINK_DOWN, unless it has not even tried to open yet (still starting). */
    private void linkDown(LinkDownException e) {
        if (session.link().hasTried()) {
            health.set(HealthReason.LINK_DOWN, e.reason());
        }
    }

    private static String flagsText(PrinterStatus s) {
        return s == null ? "" : " (printer " + s.state() + (s.flags().isEmpty() ? "" : ": "
                + String.join(", ", s.flags().stream().map(Enum::name).toList())) + ")";
    }

    private PrinterStatus readStatusQuietly() {
        try {
            PrinterStatus s = session.query(EclCommand.RST, PrinterStatus::parse);
            observe(s);
            return s;
        } catch (LinkDownException e) {
            linkDown(e);
            return null;
        } catch (BridgeException e) {
            return null;
        }
    }

    private void pollSoon() {
        try {
            scheduler.execute(this::poll);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void linkChanged(String linkName, LinkState state) {
        if (state instanceof LinkState.Down d) {
            health.set(HealthReason.LINK_DOWN, d.reason());
        } else {
            pollSoon();
        }
    }

    /** One idle poll; skipped while an operation runs. Never throws. */
    void poll() {
        if (operations.get() > 0 || session.isBusy()) {
            return;
        }
        try {
            PrinterStatus s = session.query(EclCommand.RST, PrinterStatus::parse);
            if (s.state() != PrinterState.BUSY) {
                lastSupplies = session.query(EclCommand.RSP, Supplies::parse);
            }
            observe(s);
        } catch (LinkDownException e) {
            linkDown(e);
        } catch (EclTimeoutException e) {
            health.set(HealthReason.COMMUNICATION_ERROR, "no answer to " + e.command());
        } catch (BridgeException e) {
            log.debug("printer poll: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("printer poll failed", e);
        }
    }

    /** Takes in a status read by anyone: health, and supply level changes. */
    private void observe(PrinterStatus status) {
        lastStatus = status;
        PrinterHealth.Verdict v = PrinterHealth.of(status);
        health.set(v.reason(), v.message());
        List<SupplyEvent> events = new java.util.ArrayList<>(2);
        synchronized (levels) {
            for (Supply supply : Supply.values()) {
                SupplyLevel now = SupplyLevel.of(supply, status);
                SupplyLevel before = levels.put(supply, now);
                if (now != before && !(before == SupplyLevel.UNKNOWN && now == SupplyLevel.OK)) {
                    events.add(new SupplyEvent(deviceId(), supply, now, before, detail(supply, now), clock.instant()));
                }
            }
        }
        for (SupplyEvent e : events) {
            try {
                supplyListener.supplyChanged(e);
            } catch (RuntimeException ex) {
                log.warn("supply listener failed", ex);
            }
        }
    }

    private String detail(Supply supply, SupplyLevel level) {
        Supplies s = lastSupplies;
        if (supply == Supply.RIBBON && s != null) {
            return "ribbon " + s.ribbon() + ", " + s.ribbonLeft() + " prints left";
        }
        return supply.name().toLowerCase(java.util.Locale.ROOT) + " " + level.name().toLowerCase(java.util.Locale.ROOT);
    }
}
