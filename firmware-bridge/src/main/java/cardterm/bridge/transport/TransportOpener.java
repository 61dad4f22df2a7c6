package cardterm.bridge.transport;

import java.io.IOException;

/**
 * Opens a fresh {@link Transport} to one configured place (a device path, a TCP address). A
 * {@link cardterm.bridge.link.Link} calls it again after every loss.
 */
public interface TransportOpener {

    /** Opens a new transport, or fails with a short reason (port absent, connection refused). */
    Transport open() throws IOException;

    /** Where it opens to, for logs and health messages. */
    String describe();

    /** Opens {@code transport} once; every later call fails (for in-process pipes). */
    static TransportOpener once(Transport transport) {
        return new TransportOpener() {
            private boolean used;

            @Override
            public synchronized Transport open() throws IOException {
                if (used || !transport.isOpen()) {
                    throw new IOException(transport.name() + " cannot be reopened");
                }
                used = true;
                return transport;
            }

            @Override
            public String describe() {
                return transport.name();
            }
        };
    }
}
