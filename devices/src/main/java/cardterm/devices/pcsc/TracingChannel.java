package cardterm.devices.pcsc;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every exchange at DEBUG (logger {@code cardterm.devices.pcsc.apdu}): the command header and
 * lengths, the status word and response length. Never data: it may be personal.
 */
final class TracingChannel implements ApduChannel {
    private static final Logger LOG = LoggerFactory.getLogger("cardterm.devices.pcsc.apdu");

    private final ApduChannel inner;
    private final String label;

    public TracingChannel(ApduChannel inner, String label) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.label = Objects.requireNonNull(label, "label");
    }

    @Override
    public byte[] transceive(byte[] command) {
        if (!LOG.isDebugEnabled()) {
            return inner.transceive(command);
        }
        LOG.debug("{} >> {}", label, Apdu.describe(command));
        byte[] r = inner.transceive(command);
        if (r.length >= 2) {
            LOG.debug("{} << SW={} len={}", label, String.format("%04X", Apdu.sw(r)), r.length - 2);
        } else {
            LOG.debug("{} << {} bytes", label, r.length);
        }
        return r;
    }

    @Override
    public void close() {
        inner.close();
    }
}
