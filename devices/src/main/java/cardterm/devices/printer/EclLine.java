package cardterm.devices.printer;

import cardterm.bridge.BridgeException;
import cardterm.bridge.ecl.EclCodec;
import cardterm.bridge.ecl.EclCommand;
import cardterm.bridge.ecl.EclSession;
import cardterm.bridge.ecl.EclTimeouts;
import cardterm.bridge.link.Link;
import cardterm.bridge.transport.SerialTransport;
import cardterm.bridge.transport.TransportOpener;
import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * An {@code ecl} line below the driver: the firmware bridge's transport, codec and
 * one-command-in-flight session, bare. For benches that measure that path against raw port I/O of
 * the same bytes ({@link #statusRequest()}, {@link #downloadLine}); the terminal's work goes
 * through {@link EclPrinter}.
 */
public final class EclLine implements AutoCloseable {
    /** The largest download: one y/m/c panel, 1016 x 648 bytes. */
    public static final int MAX_PANEL_BYTES = EclCodec.MAX_DOWNLOAD;
    /** The byte that ends every line, both ways. */
    public static final byte CR = EclCodec.CR;

    /** A failure on the line: down, no answer in time, or refused by the printer. */
    public static final class LineException extends IOException {
        LineException(BridgeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final Link link;
    private final EclSession session;

    private EclLine(Link link) {
        this.link = link;
        this.session = new EclSession(link, EclTimeouts.defaults());
    }

    /** The status request ({@code Rst}) as written on the wire. */
    public static byte[] statusRequest() {
        return EclCommand.RST.encode();
    }

    /** The download line ({@code Db;<panel>;<side>;<bytes>}) as written on the wire, before its data. */
    public static byte[] downloadLine(String panel, String side, int bytes) {
        return EclCommand.download(panel, side, bytes).encode();
    }

    /**
     * The bridge on a serial port already opened by the caller (who may go on using it raw, one
     * exchange at a time), named {@code path}; waits at most {@code timeout} for the link.
     */
    public static EclLine overOpenPort(SerialPort port, Path path, Duration timeout) throws IOException {
        Objects.requireNonNull(port, "port");
        Link link = Link.create("bench", TransportOpener.once(SerialTransport.wrap(port, path, Duration.ofSeconds(10))));
        link.start();
        if (!link.awaitUp(timeout)) {
            link.close();
            throw new IOException("bridge link did not come up on " + path);
        }
        return new EclLine(link);
    }

    /** {@code Ss}: starts a print sequence, so that downloads are accepted. */
    public void startPrintSequence() throws LineException {
        try {
            session.execute(EclCommand.SS);
        } catch (BridgeException e) {
            throw new LineException(e);
        }
    }

    /** {@code Rst}: one status round trip. */
    public PrinterStatus status() throws LineException {
        try {
            return session.query(EclCommand.RST, PrinterStatus::parse);
        } catch (BridgeException e) {
            throw new LineException(e);
        }
    }

    /** {@code Db}: one panel's data, answered {@code OK}. */
    public void download(String panel, String side, byte[] data) throws LineException {
        try {
            session.download(EclCommand.download(panel, side, data.length), data, 0, data.length);
        } catch (BridgeException e) {
            throw new LineException(e);
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
