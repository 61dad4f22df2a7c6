package cardterm.bridge.transport;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A serial port (RS-232, USB CDC-ACM, or a pseudo-terminal such as one end of a socat pair) opened
 * by device path with jSerialComm, 8N1, no flow control.
 *
 * <p>Notices an unplug: the device path vanishing, a read error (a hung-up pty or a removed USB
 * device reads -1), or a write that stalls. Once lost it stays lost; {@link #opener} opens a fresh
 * one when the device path is back.
 */
public final class SerialTransport implements Transport {
    /** Default line speed, as printer-protocol.md says. */
    public static final int DEFAULT_BAUD = 115_200;
    /** How long one native read waits before Java checks its own deadline again. */
    private static final int READ_SLICE_MS = 20;
    private static final int WRITE_SLICE_MS = 500;

    private final Path path;
    private final SerialPort port;
    private final Duration writeStall;
    private final String name;
    private volatile boolean open = true;
    private volatile String lostReason;

    private SerialTransport(Path path, SerialPort port, Duration writeStall) {
        this.path = path;
        this.port = port;
        this.writeStall = writeStall;
        this.name = "serial:" + path;
    }

    /**
     * Opens the device at {@code path} (a symlink such as a socat {@code link=} is followed).
     *
     * @param writeStall how long a write may make no progress before the link counts as lost
     * @throws IOException with a short reason when the device is absent or cannot be opened
     */
    public static SerialTransport open(Path path, int baud, Duration writeStall) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(writeStall, "writeStall");
        if (baud <= 0) {
            throw new IllegalArgumentException("baud must be positive: " + baud);
        }
        if (!Files.exists(path)) {
            throw new IOException("serial:" + path + ": no such device");
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path.toString());
        } catch (SerialPortInvalidPortException e) {
            throw new IOException("serial:" + path + ": not a serial port", e);
        }
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                READ_SLICE_MS, WRITE_SLICE_MS);
        if (!port.openPort()) {
            throw new IOException("serial:" + path + ": cannot open (error " + port.getLastErrorCode() + ")");
        }
        return new SerialTransport(path, port, writeStall);
    }

    /**
     * Wraps a port the caller opened itself with jSerialComm (benches compare raw use of that very
     * port with this transport); sets the read and write timeouts this transport needs.
     */
    public static SerialTransport wrap(SerialPort openPort, Path path, Duration writeStall) throws IOException {
        Objects.requireNonNull(openPort, "openPort");
        if (!openPort.isOpen()) {
            throw new IOException("serial:" + path + ": port is not open");
        }
        openPort.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                READ_SLICE_MS, WRITE_SLICE_MS);
        return new SerialTransport(path, openPort, writeStall);
    }

    /** Opens at 115200 baud with a 10 s write-stall limit. */
    public static SerialTransport open(Path path) throws IOException {
        return open(path, DEFAULT_BAUD, Duration.ofSeconds(10));
    }

    /** An opener for a {@link cardterm.bridge.link.Link}: opens {@code path} anew on every call. */
    public static TransportOpener opener(Path path, int baud, Duration writeStall) {
        return new TransportOpener() {
            @Override
            public Transport open() throws IOException {
                return SerialTransport.open(path, baud, writeStall);
            }

            @Override
            public String describe() {
                return "serial:" + path;
            }
        };
    }

    public Path path() {
        return path;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws TransportLostException {
        Objects.checkFromIndexSize(off, len, buf.length);
        long stallNanos = writeStall.toNanos();
        long lastProgress = System.nanoTime();
        while (len > 0) {
            ensureOpen();
            int n = port.writeBytes(buf, len, off);
            if (n < 0) {
                throw lost("write failed");
            }
            if (n > 0) {
                off += n;
                len -= n;
                lastProgress = System.nanoTime();
            } else {
                if (gone()) {
                    throw lost(goneReason());
                }
                if (System.nanoTime() - lastProgress > stallNanos) {
                    throw lost("write stalled for " + writeStall.toMillis() + " ms");
                }
            }
        }
    }

    @Override
    public int read(byte[] buf, int off, int len, Duration timeout) throws TransportLostException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) {
            return 0;
        }
        ensureOpen();
        long timeoutNanos = timeout.isNegative() ? 0 : timeout.toNanos();
        if (timeoutNanos < READ_SLICE_MS * 1_000_000L) {
            // Short waits: do not block a whole slice in native code.
            int available = port.bytesAvailable();
            if (available < 0) {
                throw lost(goneReason());
            }
            if (available == 0) {
                if (timeoutNanos > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(timeoutNanos);
                    available = port.bytesAvailable();
                    if (available < 0) {
                        throw lost(goneReason());
                    }
                }
                if (available == 0) {
                    return 0;
                }
            }
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            int n = port.readBytes(buf, len, off);
            if (n > 0) {
                return n;
            }
            if (n < 0) {
                throw lost(goneReason());
            }
            ensureOpen();
            if (deadline - System.nanoTime() <= 0) {
                return 0;
            }
        }
    }

    @Override
    public boolean isOpen() {
        if (!open) {
            return false;
        }
        if (gone()) {
            lostReason = goneReason();
            open = false;
        }
        return open;
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
        port.closePort();
    }

    private boolean gone() {
        return !Files.exists(path) || port.bytesAvailable() < 0;
    }

    private String goneReason() {
        return Files.exists(path) ? "device does not answer (read error)" : "device removed";
    }

    private void ensureOpen() throws TransportLostException {
        if (!open) {
            throw new TransportLostException(name, lostReason == null ? "closed" : lostReason);
        }
    }

    private TransportLostException lost(String reason) {
        lostReason = reason;
        open = false;
        return new TransportLostException(name, reason);
    }

    @Override
    public String toString() {
        return name;
    }
}
