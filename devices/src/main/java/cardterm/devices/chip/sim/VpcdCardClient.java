package cardterm.devices.chip.sim;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;

/**
 * Puts a {@link VirtualCard} into a reader of a real pcscd through vsmartcard's vpcd driver: the
 * card is a TCP client of vpcd (reader 0, {@code Virtual PCD 00 00}, listens on 127.0.0.1:35963;
 * reader 1 on 35964). For test rigs, demos and {@code cardterm bench apdu}.
 *
 * <p>Wire format both ways: 2-byte big-endian length, then that many bytes. From the reader, length
 * 1 is a control byte (0 power off, 1 power on, 2 reset, 4 send the ATR), longer is a command APDU.
 * The card answers ATR requests and APDUs with one message each.
 *
 * <p>Latency (test-rig.md): {@code TCP_NODELAY}, buffered writes, and {@code TCP_QUICKACK} set again
 * before every read, or each APDU waits on delayed ACKs (45 ms instead of 0.2 ms).
 *
 * <p>{@link #insert} connects (and keeps reconnecting while inserted, e.g. across a pcscd restart);
 * {@link #remove} disconnects, which pcscd sees as the card pulled. A {@link VirtualCard.CardPulledSignal}
 * from the card disconnects at once, without an answer. Tests use it through
 * {@code cardterm.devices.testing.VpcdSlot} (devices test-jar), which adds waits on pcscd.
 */
public final class VpcdCardClient implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    /** vpcd reader 0, {@code Virtual PCD 00 00}: the card encoder in tests and benchmarks. */
    public static final int CARD_PORT = 35963;
    /** vpcd reader 1, {@code Virtual PCD 00 01}: the SAM slot in tests and benchmarks. */
    public static final int SAM_PORT = 35964;
    public static final String CARD_READER = "Virtual PCD 00 00";
    public static final String SAM_READER = "Virtual PCD 00 01";

    private static final int MAX_MESSAGE = 65_535;
    private static final long RECONNECT_PAUSE_MS = 50;
    /** Reconnect attempts before giving up (50 ms apart: 60 s). */
    private static final int MAX_RECONNECTS = 1200;

    private final int port;
    private final String name;
    private final AtomicInteger apdus = new AtomicInteger();
    private volatile VirtualCard card;
    private volatile Socket socket;
    private volatile Thread thread;
    private volatile IOException lastError;

    /** A client for the vpcd reader listening on 127.0.0.1:{@code port}. */
    public VpcdCardClient(int port) {
        this.port = port;
        this.name = "vpcd-card-" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Inserts a card: connects to vpcd and serves it until {@link #remove()}. Returns once connected
     * (pcscd notices the card a moment later: wait for it). Fails if vpcd does not listen within 5 s.
     */
    public synchronized void insert(VirtualCard newCard) {
        Objects.requireNonNull(newCard, "card");
        remove();
        this.card = newCard;
        CountDownLatch connected = new CountDownLatch(1);
        Thread t = new Thread(() -> serve(newCard, connected), name);
        t.setDaemon(true);
        this.thread = t;
        t.start();
        try {
            if (!connected.await(5, TimeUnit.SECONDS)) {
                remove();
                throw new IllegalStateException("vpcd does not listen on " + HOST + ":" + port
                        + " (is pcscd with vsmartcard-vpcd running?)"
                        + (lastError == null ? "" : ": " + lastError));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Pulls the card (disconnects); waits until the connection thread ended. Idempotent. */
    public synchronized void remove() {
        VirtualCard c = card;
        card = null;
        closeSocket();
        Thread t = thread;
        thread = null;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (c != null) {
            c.powerOff();
        }
    }

    /** The inserted card, or null. */
    public VirtualCard card() {
        return card;
    }

    public boolean isInserted() {
        return card != null;
    }

    /** Whether a TCP connection to vpcd is up right now. */
    public boolean isConnected() {
        Socket s = socket;
        return s != null && s.isConnected() && !s.isClosed();
    }

    /** Command APDUs served since this slot was made. */
    public int apduCount() {
        return apdus.get();
    }

    @Override
    public void close() {
        remove();
    }

    private void serve(VirtualCard c, CountDownLatch connected) {
        int attempts = 0;
        while (card == c && attempts < MAX_RECONNECTS) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(HOST, port), 1000);
                socket = s;
                if (card != c) {
                    return;
                }
                attempts = 0;
                connected.countDown();
                exchange(c, s);
            } catch (IOException e) {
                lastError = e;
            } finally {
                closeQuietly(s);
                if (socket == s) {
                    socket = null;
                }
            }
            if (card != c) {
                return;
            }
            attempts++;
            pause();
        }
    }

    private void exchange(VirtualCard c, Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 4 + MAX_MESSAGE);
        byte[] len = new byte[2];
        while (card == c) {
            quickAck(s);
            readFully(in, len, 2, s);
            int n = ((len[0] & 0xFF) << 8) | (len[1] & 0xFF);
            byte[] msg = new byte[n];
            if (n > 0) {
                quickAck(s);
                readFully(in, msg, n, s);
            }
            if (n == 1) {
                switch (msg[0]) {
                    case 0 -> c.powerOff();
                    case 1, 2 -> c.reset();
                    case 4 -> send(out, c.atr());
                    default -> { /* unknown control byte: no answer */ }
                }
                continue;
            }
            if (n == 0) {
                continue;
            }
            byte[] response;
            try {
                response = c.process(msg);
            } catch (VirtualCard.CardPulledSignal pulled) {
                card = null;
                c.powerOff();
                return;
            }
            apdus.incrementAndGet();
            send(out, response);
        }
    }

    private static void readFully(InputStream in, byte[] b, int n, Socket s) throws IOException {
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new EOFException("vpcd closed the connection");
            }
            off += r;
            if (off < n) {
                quickAck(s);
            }
        }
    }

    private static void quickAck(Socket s) throws SocketException {
        try {
            s.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (UnsupportedOperationException e) {
            // not Linux: nothing to do
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    private static void send(OutputStream out, byte[] b) throws IOException {
        out.write(b.length >> 8);
        out.write(b.length);
        out.write(b);
        out.flush();
    }

    private void closeSocket() {
        Socket s = socket;
        if (s != null) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RECONNECT_PAUSE_MS));
    }
}
