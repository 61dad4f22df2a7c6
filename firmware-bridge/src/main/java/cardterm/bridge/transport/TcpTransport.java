package cardterm.bridge.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A TCP connection to a device (a printer's network port, or a simulator), no delay on small
 * writes. Reads and writes are bounded in time through non-blocking I/O; the peer closing the
 * connection or a reset is a lost link.
 */
public final class TcpTransport implements Transport {
    private final SocketChannel channel;
    private final Selector readSelector;
    private final Selector writeSelector;
    private final Duration writeStall;
    private final String name;
    private volatile boolean open = true;
    private volatile String lostReason;

    private TcpTransport(SocketChannel channel, Duration writeStall, String name) throws IOException {
        this.channel = channel;
        this.writeStall = writeStall;
        this.name = name;
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        this.readSelector = Selector.open();
        this.writeSelector = Selector.open();
        channel.register(readSelector, SelectionKey.OP_READ);
        channel.register(writeSelector, SelectionKey.OP_WRITE);
    }

    /** Connects to {@code host:port}, waiting at most {@code connectTimeout}. */
    public static TcpTransport connect(String host, int port, Duration connectTimeout, Duration writeStall)
            throws IOException {
        Objects.requireNonNull(host, "host");
        String name = "tcp://" + host + ":" + port;
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(new InetSocketAddress(host, port), (int) Math.max(1, connectTimeout.toMillis()));
            return new TcpTransport(ch, writeStall, name);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /** Wraps a connection a server accepted (the simulator's side). */
    public static TcpTransport accepted(SocketChannel channel, Duration writeStall) throws IOException {
        String name;
        try {
            name = "tcp-peer:" + channel.getRemoteAddress();
        } catch (IOException e) {
            name = "tcp-peer";
        }
        return new TcpTransport(channel, writeStall, name);
    }

    /** An opener for a {@link cardterm.bridge.link.Link}: connects anew on every call. */
    public static TransportOpener opener(String host, int port, Duration connectTimeout, Duration writeStall) {
        return new TransportOpener() {
            @Override
            public Transport open() throws IOException {
                return connect(host, port, connectTimeout, writeStall);
            }

            @Override
            public String describe() {
                return "tcp://" + host + ":" + port;
            }
        };
    }

    @Override
    public void write(byte[] buf, int off, int len) throws TransportLostException {
        Objects.checkFromIndexSize(off, len, buf.length);
        ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
        long lastProgress = System.nanoTime();
        long stallNanos = writeStall.toNanos();
        try {
            while (bb.hasRemaining()) {
                ensureOpen();
                int n = channel.write(bb);
                if (n > 0) {
                    lastProgress = System.nanoTime();
                    continue;
                }
                long left = stallNanos - (System.nanoTime() - lastProgress);
                if (left <= 0) {
                    throw lost("write stalled for " + writeStall.toMillis() + " ms");
                }
                writeSelector.select(Math.max(1, left / 1_000_000));
                writeSelector.selectedKeys().clear();
            }
        } catch (TransportLostException e) {
            throw e;
        } catch (IOException e) {
            throw lost("write failed: " + e.getMessage());
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw closedMeanwhile();
        }
    }

    @Override
    public int read(byte[] buf, int off, int len, Duration timeout) throws TransportLostException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) {
            return 0;
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        try {
            while (true) {
                ensureOpen();
                int n = channel.read(bb);
                if (n > 0) {
                    return n;
                }
                if (n < 0) {
                    throw lost("closed by peer");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return 0;
                }
                readSelector.select(Math.max(1, (left + 999_999) / 1_000_000));
                readSelector.selectedKeys().clear();
            }
        } catch (TransportLostException e) {
            throw e;
        } catch (IOException e) {
            throw lost("read failed: " + e.getMessage());
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw closedMeanwhile();
        }
    }

    @Override
    public boolean isOpen() {
        return open && channel.isOpen();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (lostReason == null) {
            lostReason = "closed";
        }
        open = false;
        closeQuietly(channel);
        closeQuietly(readSelector);
        closeQuietly(writeSelector);
    }

    private void ensureOpen() throws TransportLostException {
        if (!open) {
            throw new TransportLostException(name, lostReason == null ? "closed" : lostReason);
        }
    }

    /**
     * {@link #close()} from another thread while this one waited in a select: the selectors are
     * gone, which is a closed link like any other, not a programming error.
     */
    private TransportLostException closedMeanwhile() {
        return new TransportLostException(name, lostReason == null ? "closed" : lostReason);
    }

    private TransportLostException lost(String reason) {
        lostReason = reason;
        open = false;
        return new TransportLostException(name, reason);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
