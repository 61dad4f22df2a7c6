package cardterm.bridge.ecl;

import cardterm.bridge.BridgeException;
import cardterm.bridge.link.Link;
import cardterm.bridge.link.LinkDownException;
import cardterm.bridge.transport.Transport;
import cardterm.bridge.transport.TransportLostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's conversation with one {@code ecl} printer over a {@link Link}: one command in flight
 * (callers queue on a lock), a timeout per command ({@link EclTimeouts}), bounded retries for
 * idempotent reads only, unparseable lines discarded while waiting, and a drain of the line after
 * a timeout before the next command. Optional greeting commands (e.g. {@code Pem;2}) are sent once
 * on every new connection, before the first command (a greeting the device refuses is tried again
 * before the next command; the command itself still goes). No threads of its own: commands run on the
 * caller's thread.
 */
public final class EclSession {
    private static final Logger log = LoggerFactory.getLogger(EclSession.class);
    private static final int MAX_HELD_LINES = 64;

    /** Sees the traffic, for traces and tests. Called on the caller's thread; must not block. */
    public interface Observer {
        default void sent(EclCommand command, int dataBytes) {
        }

        default void received(EclResponse response) {
        }

        /** A line was dropped: garbage, or well-formed but not an answer to the command waiting. */
        default void discarded(String reason) {
        }

        default void timedOut(EclCommand command, int attempt) {
        }
    }

    private final Link link;
    private final EclTimeouts timeouts;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final EclResponseDecoder decoder = new EclResponseDecoder();
    private final byte[] rx = new byte[4096];
    private final ArrayDeque<EclResponse> held = new ArrayDeque<>();
    private final List<Observer> observers = new CopyOnWriteArrayList<>();
    private final EclResponseDecoder.Sink sink = new EclResponseDecoder.Sink() {
        @Override
        public void response(EclResponse response) {
            if (held.size() < MAX_HELD_LINES) {
                held.add(response);
            } else {
                discarded("too many lines at once");
            }
        }

        @Override
        public void garbage(String reason, int bytes) {
            discarded("garbage: " + reason + " (" + bytes + " bytes)");
        }
    };

    private volatile List<EclCommand> greeting = List.of();
    private Transport lastTransport;
    private Transport greetedTransport;
    private boolean dirty;
    private long garbageLines;

    public EclSession(Link link, EclTimeouts timeouts) {
        this.link = Objects.requireNonNull(link, "link");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    public Link link() {
        return link;
    }

    public EclTimeouts timeouts() {
        return timeouts;
    }

    /** Commands sent, each expecting {@code OK}, once per connection before anything else. */
    public void setGreeting(List<EclCommand> commands) {
        this.greeting = List.copyOf(commands);
    }

    public void addObserver(Observer observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    /** True while a command is in flight (or queued). */
    public boolean isBusy() {
        return lock.isLocked();
    }

    /** Lines dropped so far (garbage or not matching the command waiting). */
    public long discardedLines() {
        lock.lock();
        try {
            return garbageLines;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code command} and waits for {@code OK}.
     *
     * @throws EclErrorResponse     the printer answered {@code ERR}
     * @throws EclTimeoutException  no {@code OK} or {@code ERR} in time
     * @throws LinkDownException    the link is down or went down
     */
    public void execute(EclCommand command) throws BridgeException {
        transact(command, null, 0, 0, EclSession::acceptOk);
    }

    /**
     * Sends a read command and returns its data line parsed by {@code parser}. Lines the parser
     * rejects (by throwing) are discarded and the wait goes on. Idempotent reads are retried after
     * a timeout or a framing error, up to {@link EclTimeouts#queryRetries()} times.
     */
    public <T> T query(EclCommand command, Function<String, T> parser) throws BridgeException {
        Objects.requireNonNull(parser, "parser");
        return transact(command, null, 0, 0, r -> acceptData(r, parser));
    }

    /** Sends a {@code Db} line, then {@code len} bytes of data, and waits for {@code OK}. */
    public void download(EclCommand command, byte[] data, int off, int len) throws BridgeException {
        if (!command.isDownload()) {
            throw new IllegalArgumentException("not a Db command: " + command);
        }
        Objects.checkFromIndexSize(off, len, data.length);
        transact(command, data, off, len, EclSession::acceptOk);
    }

    /** Sends {@code command} and returns whatever well-formed line comes first (for diagnostics and benches). */
    public EclResponse exchange(EclCommand command) throws BridgeException {
        return transact(command, null, 0, 0, r -> r);
    }

    private static Object acceptOk(EclResponse r) throws EclErrorResponseSignal {
        return switch (r) {
            case EclResponse.Ok ok -> ok;
            case EclResponse.Err err -> throw new EclErrorResponseSignal(err);
            case EclResponse.Data data -> null;
        };
    }

    private static <T> T acceptData(EclResponse r, Function<String, T> parser) throws EclErrorResponseSignal {
        return switch (r) {
            case EclResponse.Ok ok -> null;
            case EclResponse.Err err -> throw new EclErrorResponseSignal(err);
            case EclResponse.Data data -> {
                try {
                    yield parser.apply(data.line());
                } catch (RuntimeException e) {
                    yield null;
                }
            }
        };
    }

    /** Decides on one answer line: a result, null to discard and wait on, or an error. */
    @FunctionalInterface
    private interface Acceptor<T> {
        T accept(EclResponse response) throws EclErrorResponseSignal;
    }

    /** Carries an ERR out of an acceptor; turned into {@link EclErrorResponse} with the command. */
    private static final class EclErrorResponseSignal extends Exception {
        final transient EclResponse.Err err;

        EclErrorResponseSignal(EclResponse.Err err) {
            super(null, null, false, false);
            this.err = err;
        }
    }

    private <T> T transact(EclCommand command, byte[] data, int off, int len, Acceptor<T> acceptor)
            throws BridgeException {
        Objects.requireNonNull(command, "command");
        lock.lock();
        Transport t = null;
        try {
            t = link.transport();
            if (t != lastTransport) {
                lastTransport = t;
                decoder.reset();
                held.clear();
                dirty = false;
            }
            if (greetedTransport != t) {
                boolean greeted = true;
                for (EclCommand g : greeting) {
                    try {
                        attempts(t, g, null, 0, 0, EclSession::acceptOk);
                    } catch (EclErrorResponse e) {
                        // refused (e.g. BUSY with a step still running): the command goes on, the
                        // greeting is tried again before the next one
                        log.debug("greeting {} refused: {}", g, e.getMessage());
                        greeted = false;
                    }
                }
                if (greeted) {
                    greetedTransport = t;
                }
            }
            return attempts(t, command, data, off, len, acceptor);
        } catch (TransportLostException e) {
            String reason = e.getMessage();
            link.lost(t, reason);
            throw new LinkDownException(link.name(), reason, e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T attempts(Transport t, EclCommand command, byte[] data, int off, int len, Acceptor<T> acceptor)
            throws BridgeException {
        int maxAttempts = command.isIdempotent() ? 1 + timeouts.queryRetries() : 1;
        Duration timeout = timeouts.timeoutFor(command, len);
        String trace = command.toString();
        for (int attempt = 1; ; attempt++) {
            prepare(t);
            t.write(command.encode());
            if (data != null && len > 0) {
                t.write(data, off, len);
            }
            for (Observer o : observers) {
                o.sent(command, data == null ? 0 : len);
            }
            try {
                T result = await(t, timeout, acceptor);
                if (result != null) {
                    return result;
                }
                dirty = true;
                for (Observer o : observers) {
                    o.timedOut(command, attempt);
                }
                log.debug("{}: no answer within {} ms (attempt {}/{})", trace, timeout.toMillis(), attempt, maxAttempts);
                if (attempt >= maxAttempts) {
                    throw new EclTimeoutException(trace, timeout, attempt);
                }
            } catch (EclErrorResponseSignal s) {
                if (s.err.code() == EclErrorCode.FRAMING && attempt < maxAttempts) {
                    // line noise garbled the command: an idempotent read may go again
                    dirty = true;
                    continue;
                }
                throw new EclErrorResponse(trace, s.err);
            }
        }
    }

    /** Drops anything left from before: lines after the last answer, a partial line, stale bytes. */
    private void prepare(Transport t) throws TransportLostException {
        if (!held.isEmpty()) {
            held.clear();
            dirty = true;
        }
        if (decoder.hasPartialLine()) {
            dirty = true;
        }
        if (!dirty && t.read(rx, 0, rx.length, Duration.ZERO) > 0) {
            dirty = true;
        }
        if (dirty) {
            drain(t);
        }
    }

    private void drain(Transport t) throws TransportLostException {
        long deadline = System.nanoTime() + timeouts.drainMax().toNanos();
        long drained = 0;
        while (System.nanoTime() - deadline < 0) {
            int n = t.read(rx, 0, rx.length, timeouts.drainQuiet());
            if (n == 0) {
                break;
            }
            drained += n;
        }
        decoder.reset();
        held.clear();
        dirty = false;
        if (drained > 0) {
            discarded("drained " + drained + " stale bytes");
        }
    }

    private <T> T await(Transport t, Duration timeout, Acceptor<T> acceptor)
            throws TransportLostException, EclErrorResponseSignal {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            while (!held.isEmpty()) {
                EclResponse r = held.poll();
                for (Observer o : observers) {
                    o.received(r);
                }
                T result = acceptor.accept(r);
                if (result != null) {
                    return result;
                }
                discarded("not an answer to the command waiting: " + shorten(r.toString()));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            int n = t.read(rx, 0, rx.length, Duration.ofNanos(left));
            if (n > 0) {
                decoder.feed(rx, 0, n, sink);
            }
        }
    }

    private void discarded(String reason) {
        garbageLines++;
        for (Observer o : observers) {
            o.discarded(reason);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
