package cardterm.terminal.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One event as the hub contract frames it: {@code id} (globally unique), {@code seq} (per terminal,
 * gap-free, never repeated), {@code ts}, {@code type}, {@code terminal}, {@code site}, {@code data}.
 */
public record EventEnvelope(
        String id, long seq, OffsetDateTime ts, String type, String terminal, String site, ObjectNode data) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(terminal, "terminal");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(data, "data");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, got " + seq);
        }
        data = data.deepCopy();
    }

    public EventKind kind() {
        return EventKind.ofType(type);
    }

    @Override
    public ObjectNode data() {
        return data.deepCopy();
    }
}
