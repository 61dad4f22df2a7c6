package cardterm.terminal.store;

import cardterm.terminal.event.EventKind;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One stored event waiting for the broker: its seq, kind and the envelope's JSON (UTF-8), ready to
 * publish as is.
 */
public record OutboxEntry(long seq, EventKind kind, byte[] payload) {
    public OutboxEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }

    /** The envelope JSON as text. */
    public String json() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OutboxEntry[seq=" + seq + ", kind=" + kind + ", " + payload.length + " bytes]";
    }
}
