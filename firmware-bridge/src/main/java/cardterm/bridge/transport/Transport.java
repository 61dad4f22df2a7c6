package cardterm.bridge.transport;

import java.io.Closeable;
import java.time.Duration;

/**
 * One open byte link to a device: bytes out, bytes in, closeable. No framing and no threads of
 * its own. Implementations: {@link SerialTransport}, {@link TcpTransport}, {@link PipeTransport}.
 *
 * <p>A transport is used by one reader and one writer at a time (they may be different threads).
 * Once it reports {@link TransportLostException} it stays lost: open a new one.
 */
public interface Transport extends Closeable {

    /**
     * Writes all {@code len} bytes. Blocks while the far end does not take them, but fails with
     * {@link TransportLostException} when no byte could be written for the transport's write-stall
     * timeout, or when the link is gone.
     */
    void write(byte[] buf, int off, int len) throws TransportLostException;

    /** Writes the whole array. */
    default void write(byte[] buf) throws TransportLostException {
        write(buf, 0, buf.length);
    }

    /**
     * Reads what is there, up to {@code len} bytes, waiting at most about {@code timeout} for the
     * first byte.
     *
     * @return the number of bytes read, {@code 0} when nothing came within the timeout (never -1)
     * @throws TransportLostException when the link is gone (unplugged, closed by the peer, I/O error)
     */
    int read(byte[] buf, int off, int len, Duration timeout) throws TransportLostException;

    /** False once closed or once the link is known to be lost. */
    boolean isOpen();

    /** What this is connected to, for logs and health messages (a device path, host:port). */
    String name();

    /** Closes the link; never throws. Idempotent. */
    @Override
    void close();
}
