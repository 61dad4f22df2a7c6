package cardterm.bridge.link;

import cardterm.bridge.transport.Transport;
import cardterm.bridge.transport.TransportOpener;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the transport to one device: opens it, notices its loss (reported by its users, or seen by a
 * periodic {@link Transport#isOpen()} check), and reopens it with capped backoff until closed.
 * Tells {@link LinkListener}s of every {@link LinkState} change, in order, on its own daemon thread
 * {@code link-<name>}.
 */
public final class Link implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Link.class);
    private static final int MAX_PENDING_NOTICES = 64;

    private final String name;
    private final TransportOpener opener;
    private final DoublingBackoff backoff;
    private final Duration watchInterval;
    private final List<LinkListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Queue<LinkState> notices = new ArrayDeque<>();

    private Transport current;
    private long generation;
    private LinkState state = new LinkState.Down("not started");
    /** Set once the first attempt to open ended (either way) or the link was closed. */
    private volatile boolean tried;
    private boolean closed;
    private long changes;
    private Thread thread;

    private Link(String name, TransportOpener opener, DoublingBackoff backoff, Duration watchInterval) {
        this.name = name;
        this.opener = opener;
        this.backoff = backoff;
        this.watchInterval = watchInterval;
    }

    /** A link named {@code name} with standard backoff (200 ms .. 5 s) and a 500 ms unplug check. */
    public static Link create(String name, TransportOpener opener) {
        return create(name, opener, DoublingBackoff.standard(), Duration.ofMillis(500));
    }

    public static Link create(String name, TransportOpener opener, DoublingBackoff backoff, Duration watchInterval) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opener, "opener");
        Objects.requireNonNull(backoff, "backoff");
        if (watchInterval.isNegative() || watchInterval.isZero()) {
            throw new IllegalArgumentException("watch interval must be positive: " + watchInterval);
        }
        return new Link(name, opener, backoff, watchInterval);
    }

    public String name() {
        return name;
    }

    /** Where the link opens to. */
    public String target() {
        return opener.describe();
    }

    /** Starts connecting in the background. Returns at once. */
    public Link start() {
        lock.lock();
        try {
            if (thread != null || closed) {
                return this;
            }
            // many terminals in one JVM (cardterm.threads=virtual, the fleet simulator): a virtual thread
            thread = "virtual".equals(System.getProperty("cardterm.threads"))
                    ? Thread.ofVirtual().name("link-" + name).start(this::run)
                    : Thread.ofPlatform().daemon().name("link-" + name).start(this::run);
        } finally {
            lock.unlock();
        }
        return this;
    }

    public void addListener(LinkListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(LinkListener listener) {
        listeners.remove(listener);
    }

    public LinkState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the link has tried to open at least once (or was closed): before that, "down" only
     * means "not there yet", not a lost or refused link.
     */
    public boolean hasTried() {
        return tried;
    }

    /** The open transport, or {@link LinkDownException} with the reason it is down. */
    public Transport transport() throws LinkDownException {
        lock.lock();
        try {
            if (current == null) {
                throw new LinkDownException(name, state instanceof LinkState.Down d ? d.reason() : "down");
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** Counts connections made so far (1 after the first); a user sees a reconnect when it changes. */
    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the link is up, at most {@code timeout}. */
    public boolean awaitUp(Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (current == null && !closed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return current != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A user of {@code transport} saw it fail: the link goes down with {@code reason} and reconnects.
     * Ignored when {@code transport} is no longer the current one.
     */
    public void lost(Transport transport, String reason) {
        Transport toClose = null;
        lock.lock();
        try {
            if (transport != null && transport == current) {
                toClose = current;
                current = null;
                setState(new LinkState.Down(reason));
            }
        } finally {
            lock.unlock();
        }
        if (toClose != null) {
            log.debug("link {} lost: {}", name, reason);
            toClose.close();
        }
    }

    /** Stops reconnecting and closes the transport. */
    @Override
    public void close() {
        Transport toClose;
        Thread t;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            toClose = current;
            current = null;
            setState(new LinkState.Down("closed"));
            changes++;
            changed.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (toClose != null) {
            toClose.close();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deliverNotices();
    }

    private void run() {
        int failures = 0;
        while (true) {
            deliverNotices();
            Transport t;
            long seen;
            lock.lock();
            try {
                if (closed) {
                    break;
                }
                t = current;
                seen = changes;
            } finally {
                lock.unlock();
            }
            if (t != null) {
                sleepUnlessChanged(watchInterval, seen);
                if (!t.isOpen()) {
                    lost(t, "device removed or closed");
                }
                continue;
            }
            Transport opened = null;
            String failure = null;
            try {
                opened = opener.open();
            } catch (Exception e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            Duration wait = null;
            lock.lock();
            try {
                if (closed) {
                    if (opened != null) {
                        opened.close();
                    }
                    break;
                }
                if (opened != null) {
                    current = opened;
                    generation++;
                    failures = 0;
                    setState(new LinkState.Up(opened.name(), generation));
                } else {
                    setState(new LinkState.Down(failure));
                    wait = backoff.delay(failures++);
                }
                seen = changes;
            } finally {
                lock.unlock();
            }
            if (opened != null) {
                log.debug("link {} up on {}", name, opened.name());
            }
            if (wait != null) {
                deliverNotices();
                sleepUnlessChanged(wait, seen);
            }
        }
        deliverNotices();
    }

    /** Sleeps for {@code wait} unless the link changed (loss, close) since {@code seen}. */
    private void sleepUnlessChanged(Duration wait, long seen) {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (!closed && changes == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void setState(LinkState next) {
        tried = true;
        if (next.equals(state)) {
            return;
        }
        state = next;
        changes++;
        changed.signalAll();
        if (notices.size() < MAX_PENDING_NOTICES) {
            notices.add(next);
        }
    }

    private final Object deliveryOrder = new Object();

    private void deliverNotices() {
        synchronized (deliveryOrder) {
            while (true) {
                LinkState next;
                lock.lock();
                try {
                    next = notices.poll();
                } finally {
                    lock.unlock();
                }
                if (next == null) {
                    return;
                }
                for (LinkListener l : listeners) {
                    try {
                        l.linkChanged(name, next);
                    } catch (RuntimeException e) {
                        log.warn("link listener failed on {}", name, e);
                    }
                }
            }
        }
    }
}
