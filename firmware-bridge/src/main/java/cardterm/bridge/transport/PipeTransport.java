package cardterm.bridge.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of an in-process byte pipe pair: joins a simulator and a driver in one JVM without any
 * OS device. Each direction is a bounded ring buffer; closing either end loses the link for both
 * (the far end still reads what was already written).
 */
public final class PipeTransport implements Transport {
    /** Bytes buffered in each direction. */
    public static final int CAPACITY = 64 * 1024;

    /** The two joined ends. */
    public record Pair(PipeTransport host, PipeTransport device) {
        /** Pulls the virtual cable: both ends are lost. */
        public void cut() {
            host.close();
        }
    }

    private final String name;
    private final Ring in;
    private final Ring out;
    private final Duration writeStall;

    private PipeTransport(String name, Ring in, Ring out, Duration writeStall) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.writeStall = writeStall;
    }

    /** A joined pair named {@code pipe:<name>/host} and {@code pipe:<name>/device}. */
    public static Pair pair(String name) {
        Ring toDevice = new Ring();
        Ring toHost = new Ring();
        Duration stall = Duration.ofSeconds(10);
        return new Pair(new PipeTransport("pipe:" + name + "/host", toHost, toDevice, stall),
                new PipeTransport("pipe:" + name + "/device", toDevice, toHost, stall));
    }

    public static Pair pair() {
        return pair("printer");
    }

    @Override
    public void write(byte[] buf, int off, int len) throws TransportLostException {
        Objects.checkFromIndexSize(off, len, buf.length);
        out.write(buf, off, len, writeStall, name);
    }

    @Override
    public int read(byte[] buf, int off, int len, Duration timeout) throws TransportLostException {
        Objects.checkFromIndexSize(off, len, buf.length);
        return in.read(buf, off, len, timeout, name);
    }

    @Override
    public boolean isOpen() {
        return !in.isClosed() && !out.isClosed();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        in.close();
        out.close();
    }

    @Override
    public String toString() {
        return name;
    }

    /** A bounded single-direction byte ring. */
    private static final class Ring {
        private final byte[] data = new byte[CAPACITY];
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notEmpty = lock.newCondition();
        private final Condition notFull = lock.newCondition();
        private int head;
        private int size;
        private boolean closed;

        void write(byte[] buf, int off, int len, Duration stall, String name) throws TransportLostException {
            lock.lock();
            try {
                long stallNanos = stall.toNanos();
                while (len > 0) {
                    if (closed) {
                        throw new TransportLostException(name, "pipe closed");
                    }
                    int free = CAPACITY - size;
                    if (free == 0) {
                        if (stallNanos <= 0) {
                            throw new TransportLostException(name, "write stalled for " + stall.toMillis() + " ms");
                        }
                        stallNanos = notFull.awaitNanos(stallNanos);
                        continue;
                    }
                    stallNanos = stall.toNanos();
                    int n = Math.min(len, free);
                    int tail = (head + size) % CAPACITY;
                    int first = Math.min(n, CAPACITY - tail);
                    System.arraycopy(buf, off, data, tail, first);
                    System.arraycopy(buf, off + first, data, 0, n - first);
                    size += n;
                    off += n;
                    len -= n;
                    notEmpty.signalAll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportLostException(name, "interrupted");
            } finally {
                lock.unlock();
            }
        }

        int read(byte[] buf, int off, int len, Duration timeout, String name) throws TransportLostException {
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                long nanos = Math.max(0, timeout.toNanos());
                while (size == 0) {
                    if (closed) {
                        throw new TransportLostException(name, "pipe closed");
                    }
                    if (nanos <= 0) {
                        return 0;
                    }
                    nanos = notEmpty.awaitNanos(nanos);
                }
                int n = Math.min(len, size);
                int first = Math.min(n, CAPACITY - head);
                System.arraycopy(data, head, buf, off, first);
                System.arraycopy(data, 0, buf, off + first, n - first);
                head = (head + n) % CAPACITY;
                size -= n;
                notFull.signalAll();
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportLostException(name, "interrupted");
            } finally {
                lock.unlock();
            }
        }

        boolean isClosed() {
            lock.lock();
            try {
                return closed;
            } finally {
                lock.unlock();
            }
        }

        void close() {
            lock.lock();
            try {
                closed = true;
                notEmpty.signalAll();
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
