package cardterm.devices.chip.sim;

import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTrackedDevice;
import cardterm.devices.pcsc.Apdu;
import cardterm.devices.pcsc.CardConnection;
import cardterm.devices.pcsc.CardPresenceListener;
import cardterm.devices.pcsc.CardReader;
import cardterm.devices.pcsc.CardRemovedException;
import cardterm.devices.pcsc.NoCardException;
import cardterm.devices.pcsc.PcscServiceException;
import cardterm.devices.pcsc.ReaderUnavailableException;
import cardterm.devices.pcsc.SmartCardException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader slot in process, with the same {@link CardReader} contract as the PC/SC one: cards
 * are inserted and pulled ({@link #insert}, {@link #remove}), the reader can be unplugged or its
 * service stopped, connections are exclusive, and a card pulled under a connection makes its next
 * exchange fail with {@link CardRemovedException}. Listeners hear of changes on the calling
 * thread. APDU traces as the PC/SC reader's (header and length only).
 */
public final class SimulatedReader extends HealthTrackedDevice implements CardReader {
    private static final Logger TRACE = LoggerFactory.getLogger("cardterm.devices.pcsc.apdu");

    private final String name;
    private final List<CardPresenceListener> cardListeners = new CopyOnWriteArrayList<>();
    private VirtualCard card; // guarded by this
    private Connection open; // guarded by this
    private boolean unplugged; // guarded by this
    private boolean serviceDown; // guarded by this

    public SimulatedReader(String deviceId, String name, Clock clock) {
        super(Objects.requireNonNull(deviceId, "deviceId"), clock);
        this.name = Objects.requireNonNull(name, "name");
        health.set(HealthReason.OK, name);
    }

    @Override
    public String description() {
        return name;
    }

    @Override
    public synchronized Optional<String> readerName() {
        return unplugged || serviceDown ? Optional.empty() : Optional.of(name);
    }

    @Override
    public void addCardListener(CardPresenceListener listener) {
        cardListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public synchronized boolean isCardPresent() {
        return card != null && !unplugged && !serviceDown;
    }

    /** Puts a card in; throws {@link IllegalStateException} if one is there already. */
    public void insert(VirtualCard newCard) {
        Objects.requireNonNull(newCard, "card");
        synchronized (this) {
            if (card != null) {
                throw new IllegalStateException(name + " already holds a card");
            }
            card = newCard;
            newCard.reset();
        }
        tell(true);
    }

    /** Pulls the card out (a connection on it fails from its next exchange); returns it, if there was one. */
    public Optional<VirtualCard> remove() {
        VirtualCard c;
        synchronized (this) {
            c = card;
            card = null;
        }
        if (c != null) {
            c.powerOff();
            tell(false);
        }
        return Optional.ofNullable(c);
    }

    /** The card in the reader, if any. */
    public synchronized Optional<VirtualCard> card() {
        return Optional.ofNullable(card);
    }

    /** Unplugs the reader (OFFLINE/GONE) or plugs it back in. */
    public void setUnplugged(boolean value) {
        synchronized (this) {
            unplugged = value;
        }
        updateHealth();
    }

    /** Stops or starts the simulated PC/SC service (OFFLINE/SERVICE_DOWN). */
    public void setServiceDown(boolean value) {
        synchronized (this) {
            serviceDown = value;
        }
        updateHealth();
    }

    private void updateHealth() {
        boolean gone;
        boolean down;
        synchronized (this) {
            gone = unplugged;
            down = serviceDown;
        }
        if (down) {
            health.set(HealthReason.SERVICE_DOWN, "simulated PC/SC service stopped");
        } else if (gone) {
            health.set(HealthReason.GONE, "reader " + name + " not found; readers present: none");
        } else {
            health.set(HealthReason.OK, name);
        }
    }

    private void tell(boolean present) {
        for (CardPresenceListener l : cardListeners) {
            l.cardPresenceChanged(deviceId(), present);
        }
    }

    @Override
    public synchronized CardConnection connect() {
        if (serviceDown) {
            throw new PcscServiceException("simulated PC/SC service stopped");
        }
        if (unplugged) {
            throw new ReaderUnavailableException(name, List.of());
        }
        if (card == null) {
            throw new NoCardException(name);
        }
        if (open != null) {
            throw new SmartCardException(name + " is held by another connection");
        }
        open = new Connection(card);
        return open;
    }

    @Override
    public void close() {
        // nothing runs in the background
    }

    private synchronized void closed(Connection c) {
        if (open == c) {
            open = null;
        }
    }

    /** An exclusive connection to the card that was in the reader when it was made. */
    private final class Connection implements CardConnection {
        private final VirtualCard connected;
        private boolean closed;

        Connection(VirtualCard connected) {
            this.connected = connected;
        }

        @Override
        public byte[] transceive(byte[] command) {
            boolean trace = TRACE.isDebugEnabled();
            if (trace) {
                TRACE.debug("{} >> {}", deviceId(), Apdu.describe(command));
            }
            synchronized (SimulatedReader.this) {
                if (closed) {
                    throw new IllegalStateException("connection to " + name + " is closed");
                }
                if (serviceDown) {
                    throw new PcscServiceException("simulated PC/SC service stopped");
                }
                if (unplugged) {
                    throw new ReaderUnavailableException(name, List.of());
                }
                if (card != connected) {
                    throw new CardRemovedException(name);
                }
            }
            byte[] r;
            try {
                r = connected.process(command.clone());
            } catch (VirtualCard.CardPulledSignal pulled) {
                remove();
                if (trace) {
                    TRACE.debug("{} << card pulled", deviceId());
                }
                throw new CardRemovedException(name, "pulled during the command", null);
            }
            if (trace) {
                TRACE.debug("{} << SW={} len={}", deviceId(), String.format("%04X", Apdu.sw(r)), r.length - 2);
            }
            return r;
        }

        @Override
        public byte[] atr() {
            return connected.atr();
        }

        @Override
        public String protocol() {
            return "T=1";
        }

        @Override
        public String readerName() {
            return name;
        }

        @Override
        public void close() {
            boolean reset;
            synchronized (SimulatedReader.this) {
                if (closed) {
                    return;
                }
                closed = true;
                reset = card == connected;
            }
            if (reset) {
                connected.reset();
            }
            closed(this);
        }
    }
}
