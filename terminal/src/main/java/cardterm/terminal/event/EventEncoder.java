package cardterm.terminal.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * Frames events as the hub contract's envelope
 * ({@code {"id","seq","ts","type","terminal","site","data"}}): a fresh UUIDv7 id, the time with
 * the clock's zone offset, and the data after the {@link PersonalDataGuard}. The {@code seq} is
 * left open: the store gives it when it commits ({@link Encoded#withSeq}). Knows no store and no
 * transport. Thread-safe.
 */
public final class EventEncoder {
    /** Largest envelope accepted, in bytes. */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    /** Room left for the seq's digits. */
    private static final int SEQ_ROOM = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String site;
    private final String terminal;
    private final Clock clock;
    private final UuidV7 ids;
    private static final java.util.regex.Pattern UUID_TEXT =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private final String siteJson;
    private final String terminalJson;

    public EventEncoder(String site, String terminal, Clock clock) {
        this.site = Objects.requireNonNull(site, "site");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = new UuidV7(clock);
        this.siteJson = quote(site);
        this.terminalJson = quote(terminal);
    }

    /**
     * One event, framed but for its seq.
     *
     * @param kind the kind it is stored and sent under
     * @param head the envelope up to the seq
     * @param tail the envelope after the seq
     */
    public record Encoded(String id, OffsetDateTime ts, String type, EventKind kind, ObjectNode data, String head,
            String tail) {
        /** The envelope's UTF-8 bytes with {@code seq} filled in. */
        public byte[] withSeq(long seq) {
            return SafeText.jsonUtf8(head + seq + tail); // a lone surrogate is escaped, not turned into '?'
        }

        /** When it was made, in epoch milliseconds. */
        public long createdMs() {
            return ts.toInstant().toEpochMilli();
        }
    }

    /**
     * Frames one event.
     *
     * @throws IllegalArgumentException for a type of no known kind, data that cannot be written as
     *     JSON, or an envelope larger than {@link #MAX_PAYLOAD_BYTES}
     */
    public Encoded encode(String type, ObjectNode data) {
        return encode(type, data, ids.next().toString());
    }

    /** {@link #encode(String, ObjectNode)} under a given id (a UUID). */
    public Encoded encode(String type, ObjectNode data, String id) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (!UUID_TEXT.matcher(id).matches()) {
            throw new IllegalArgumentException("an event id must be a UUID");
        }
        EventKind kind = EventKind.ofType(type);
        OffsetDateTime ts = HubTime.now(clock);
        String dataJson;
        try {
            dataJson = JSON.writeValueAsString(PersonalDataGuard.mask(data));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON: " + e.getMessage(), e);
        }
        String head = "{\"id\":\"" + id + "\",\"seq\":";
        String tail = ",\"ts\":\"" + HubTime.format(ts) + "\",\"type\":" + quote(type) + ",\"terminal\":" + terminalJson
                + ",\"site\":" + siteJson + ",\"data\":" + dataJson + "}";
        int chars = head.length() + tail.length() + SEQ_ROOM;
        // a char takes at most 3 bytes in UTF-8: only long events need counting
        if (chars * 3 > MAX_PAYLOAD_BYTES
                && (head + tail).getBytes(StandardCharsets.UTF_8).length + SEQ_ROOM > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("event " + type + " is larger than " + MAX_PAYLOAD_BYTES + " bytes");
        }
        return new Encoded(id, ts, type, kind, data, head, tail);
    }

    /** The envelope of an encoded event once the store gave it {@code seq}. */
    public EventEnvelope envelope(Encoded e, long seq) {
        return new EventEnvelope(e.id(), seq, e.ts(), e.type(), terminal, site, e.data());
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
