package cardterm.devices.printer;

import cardterm.bridge.link.Link;
import cardterm.bridge.link.LinkState;
import cardterm.bridge.transport.SerialTransport;
import cardterm.bridge.transport.Transports;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The line to an {@code ecl} printer, named the way users write it: a serial device path or
 * {@code tcp://HOST:PORT}. Once started it connects in the background and reopens after every loss
 * (unplug, peer gone) with capped backoff, until closed. Give it to {@link EclPrinter#builder}.
 *
 * <pre>{@code
 * PrinterLink link = PrinterLink.to("/dev/ttyACM0", PrinterLink.DEFAULT_BAUD).start();
 * EclPrinter printer = EclPrinter.builder(link).ownsLink(true).build().start();
 * }</pre>
 */
public final class PrinterLink implements AutoCloseable {
    /** The serial line speed of ecl printers unless configured otherwise. */
    public static final int DEFAULT_BAUD = SerialTransport.DEFAULT_BAUD;

    private final Link link;

    private PrinterLink(Link link) {
        this.link = Objects.requireNonNull(link, "link");
    }

    /**
     * A link named {@code printer} to {@code port} (a device path opened at {@code baud}, or
     * {@code tcp://HOST:PORT}); not started.
     *
     * @throws IllegalArgumentException with a message saying what is wrong with {@code port}
     */
    public static PrinterLink to(String port, int baud) {
        return new PrinterLink(Link.create("printer", Transports.opener(port, baud)));
    }

    /**
     * A printer link over a firmware-bridge link made elsewhere (a simulator's in-process pipe,
     * a test's own backoff).
     */
    @SuppressWarnings("exports")
    public static PrinterLink over(Link link) {
        return new PrinterLink(link);
    }

    /** Starts connecting in the background; returns at once. */
    public PrinterLink start() {
        link.start();
        return this;
    }

    /** Waits until the link is up, at most {@code timeout}. */
    public boolean awaitUp(Duration timeout) {
        return link.awaitUp(timeout);
    }

    public boolean isUp() {
        return link.state().isUp();
    }

    /** Why the link is down (never opened yet, device absent, refused...), empty while it is up. */
    public Optional<String> downReason() {
        return link.state() instanceof LinkState.Down d ? Optional.of(d.reason()) : Optional.empty();
    }

    /** Where the link opens to, for messages ({@code serial:/dev/ttyACM0}, {@code tcp:host:port}). */
    public String target() {
        return link.target();
    }

    /** Stops reconnecting and closes the line. */
    @Override
    public void close() {
        link.close();
    }

    Link link() {
        return link;
    }

    @Override
    public String toString() {
        return "PrinterLink[" + target() + " " + link.state() + "]";
    }
}
