package cardterm.devices.pcsc;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTrackedDevice;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader role over PC/SC: finds its reader by configured name or {@code /pattern/}, watches it
 * on its own daemon thread (with its own {@link CardTerminals}) for card arrival and removal,
 * reports health (ONLINE; OFFLINE/GONE when no reader matches; OFFLINE/SERVICE_DOWN while pcscd
 * is down, recovering by itself when it comes back) and hands out exclusive
 * {@link CardConnection}s.
 *
 * <pre>{@code
 * PcscReader card = new PcscReader("reader.card", ReaderSelector.of("/Virtual PCD 00 00/"),
 *         PcscService.shared(), Clock.systemUTC());
 * card.start();                     // optional: watching thread
 * try (CardConnection c = card.connect()) { byte[] r = c.transceive(select); }
 * }</pre>
 */
public final class PcscReader extends HealthTrackedDevice implements CardReader {
    private static final Logger LOG = LoggerFactory.getLogger(PcscReader.class);
    /** How often the watcher looks at the reader (never blocking: see the class comment). */
    static final long POLL_MS = 150;
    private static final long MIN_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 2000;

    private final ReaderSelector selector;
    private final PcscService service;
    private final List<CardPresenceListener> cardListeners = new CopyOnWriteArrayList<>();
    private volatile String currentName;
    private volatile boolean cardPresent;
    private final java.util.concurrent.atomic.AtomicInteger openConnections = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean running;
    private volatile Thread watcher;

    public PcscReader(String deviceId, ReaderSelector selector, PcscService service, Clock clock) {
        super(Objects.requireNonNull(deviceId, "deviceId"), clock);
        this.selector = Objects.requireNonNull(selector, "selector");
        this.service = Objects.requireNonNull(service, "service");
    }

    /** A reader on the shared PC/SC service and the system clock. */
    public static PcscReader of(String deviceId, String configuredName) {
        return new PcscReader(deviceId, ReaderSelector.of(configuredName), PcscService.shared(), Clock.systemUTC());
    }

    /** Starts the watcher thread ({@code pcsc-watch-<deviceId>}). Idempotent. */
    public synchronized PcscReader start() {
        if (watcher == null) {
            running = true;
            Thread t = new Thread(this::watch, "pcsc-watch-" + deviceId());
            t.setDaemon(true);
            watcher = t;
            t.start();
        }
        return this;
    }

    @Override
    public String description() {
        return selector.toString();
    }

    @Override
    public void addCardListener(CardPresenceListener listener) {
        cardListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Optional<String> readerName() {
        return Optional.ofNullable(currentName);
    }

    @Override
    public boolean isCardPresent() {
        if (watcher != null) {
            return cardPresent;
        }
        try {
            return find(service.terminals()).isCardPresent();
        } catch (CardException | RuntimeException e) {
            noteFailure(service.translate(e, selector.spec()));
            return false;
        }
    }

    /** Looks at the reader once, now, and returns the resulting health (for a one-shot check without the watcher). */
    public DeviceHealth checkNow() {
        try {
            CardTerminal t = find(service.terminals());
            updatePresence(t.isCardPresent());
        } catch (CardException | RuntimeException e) {
            noteFailure(service.translate(e, selector.spec()));
        }
        return health.current();
    }

    @Override
    public CardConnection connect() {
        CardTerminal terminal;
        Card card;
        try {
            terminal = find(service.terminals());
            card = terminal.connect("*");
        } catch (CardException | RuntimeException e) {
            SmartCardException t = service.translate(e, currentName == null ? selector.spec() : currentName);
            noteFailure(t);
            throw t;
        }
        try {
            card.beginExclusive();
        } catch (CardException | RuntimeException e) {
            SmartCardException t = service.translate(e, terminal.getName());
            noteFailure(t);
            try {
                card.disconnect(false);
            } catch (CardException | RuntimeException ignored) {
                // already failing
            }
            throw t;
        }
        openConnections.incrementAndGet();
        return new PcscCardConnection(service, deviceId(), terminal.getName(), card, openConnections::decrementAndGet);
    }

    /** The matching terminal; health ONLINE if found, else {@link ReaderUnavailableException}. */
    private CardTerminal find(CardTerminals terminals) throws CardException {
        List<String> names = PcscService.names(terminals.list());
        Optional<String> name = selector.pick(names);
        if (name.isEmpty()) {
            currentName = null;
            throw new ReaderUnavailableException(selector.toString(), names);
        }
        currentName = name.get();
        health.set(HealthReason.OK, name.get());
        return terminals.getTerminal(name.get());
    }

    private void noteFailure(SmartCardException e) {
        if (e instanceof PcscServiceException) {
            health.set(HealthReason.SERVICE_DOWN, e.getMessage());
            updatePresence(false);
        } else if (e instanceof ReaderUnavailableException) {
            health.set(HealthReason.GONE, e.getMessage());
            updatePresence(false);
        }
        // card-level trouble (removed, no card) is not the reader's health
    }

    private void updatePresence(boolean present) {
        if (present != cardPresent) {
            cardPresent = present;
            LOG.debug("{}: card {}", deviceId(), present ? "inserted" : "removed");
            for (CardPresenceListener l : cardListeners) {
                try {
                    l.cardPresenceChanged(deviceId(), present);
                } catch (RuntimeException e) {
                    LOG.warn("{}: card listener failed", deviceId(), e);
                }
            }
        }
    }

    private void watch() {
        CardTerminals terminals = null;
        long generation = -1;
        long backoff = MIN_BACKOFF_MS;
        while (running) {
            if (openConnections.get() > 0) {
                // a job holds the card: it learns of removal from its exchanges; stay off the context
                pause(POLL_MS);
                continue;
            }
            try {
                if (terminals == null || generation != service.generation()) {
                    terminals = service.terminals();
                    generation = service.generation();
                }
                CardTerminal t = find(terminals);
                updatePresence(t.isCardPresent());
                backoff = MIN_BACKOFF_MS;
                pause(POLL_MS);
            } catch (CardException | RuntimeException e) {
                SmartCardException t = service.translate(e, selector.spec());
                noteFailure(t);
                if (t instanceof PcscServiceException) {
                    terminals = null;
                } else if (!(t instanceof ReaderUnavailableException)) {
                    LOG.debug("{}: watch: {}", deviceId(), t.getMessage());
                }
                pause(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    private static void pause(long ms) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = watcher;
            watcher = null;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(POLL_MS * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
