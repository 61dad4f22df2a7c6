package cardterm.devices.pcsc;

import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CardConnection} over javax.smartcardio: translates its failures, traces without data.
 * Exclusive access is bound to the thread that connected: use and close it on that thread.
 */
final class PcscCardConnection implements CardConnection {
    private static final Logger TRACE = LoggerFactory.getLogger("cardterm.devices.pcsc.apdu");
    private static final Logger LOG = LoggerFactory.getLogger(PcscCardConnection.class);
    /** Short APDUs only: 256 data bytes and SW, with room to spare. */
    private static final int RESPONSE_BUFFER = 4096;

    private final PcscService service;
    private final String deviceId;
    private final String readerName;
    private final Card card;
    private final CardChannel channel;
    private final ByteBuffer response = ByteBuffer.allocate(RESPONSE_BUFFER);
    private boolean closed;
    /** Set once an exchange failed: the card is gone or the link is broken, so closing does not reset it. */
    private boolean broken;

    private final Runnable onClose;

    PcscCardConnection(PcscService service, String deviceId, String readerName, Card card, Runnable onClose) {
        this.onClose = onClose;
        this.service = service;
        this.deviceId = deviceId;
        this.readerName = readerName;
        this.card = card;
        this.channel = card.getBasicChannel();
    }

    @Override
    public synchronized byte[] transceive(byte[] command) {
        if (closed) {
            throw new IllegalStateException("connection to " + readerName + " is closed");
        }
        boolean trace = TRACE.isDebugEnabled();
        if (trace) {
            TRACE.debug("{} >> {}", deviceId, Apdu.describe(command));
        }
        int n;
        try {
            response.clear();
            n = channel.transmit(ByteBuffer.wrap(command), response);
        } catch (CardException | IllegalStateException | IllegalArgumentException e) {
            SmartCardException t = service.translate(e, readerName);
            broken = !(t instanceof CardProtocolException);
            if (trace) {
                TRACE.debug("{} << {}", deviceId, t.getClass().getSimpleName());
            }
            throw t;
        }
        if (n < 2) {
            // measured with vpcd: an empty response after the card was pulled
            broken = true;
            if (trace) {
                TRACE.debug("{} << {} bytes: card removed", deviceId, n);
            }
            throw new CardRemovedException(readerName, "empty response", null);
        }
        byte[] r = Arrays.copyOf(response.array(), n);
        if (trace) {
            TRACE.debug("{} << SW={} len={}", deviceId, String.format("%04X", Apdu.sw(r)), n - 2);
        }
        return r;
    }

    @Override
    public byte[] atr() {
        return card.getATR().getBytes();
    }

    @Override
    public String protocol() {
        return card.getProtocol();
    }

    @Override
    public String readerName() {
        return readerName;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            card.endExclusive();
        } catch (CardException | RuntimeException e) {
            LOG.debug("{}: end of exclusive access failed: {}", deviceId, PcscErrors.codes(e));
        }
        try {
            // Measured with vpcd: a reset sent after the card was pulled, before pcscd noticed,
            // wedges the reader (new cards are not seen). Only reset a card that is still there.
            card.disconnect(!broken);
        } catch (CardException | RuntimeException e) {
            LOG.debug("{}: disconnect failed: {}", deviceId, PcscErrors.codes(e));
        }
        onClose.run();
    }
}
