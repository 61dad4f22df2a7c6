package cardterm.terminal.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the terminal's events go. {@link #publish} returns only once the event is stored durably
 * (it survives power loss from then on); delivery to the hub follows, at least once.
 */
public interface EventSink {
    /**
     * Stores an event of {@code type} (e.g. {@code assist.call.raised}) with its {@code data}.
     * The data must hold no personal data but a masked ID number.
     *
     * @return the envelope as stored, with its id and seq
     */
    EventEnvelope publish(String type, ObjectNode data);

    /**
     * {@link #publish(String, ObjectNode)} under a given event id, made beforehand and kept with
     * what the event reports ({@link #newId}): an event stored again after a crash, because the
     * crash came before the terminal noted it stored, then has the id of the first, and the hub
     * (which drops repeats by id) sees it once. A sink that gives no ids ignores {@code id}.
     */
    default EventEnvelope publish(String type, ObjectNode data, String id) {
        return publish(type, data);
    }

    /** A fresh event id (a UUIDv7) for {@link #publish(String, ObjectNode, String)}. */
    static String newId() {
        return ID.next().toString();
    }

    /** Ids made ahead of their events. */
    UuidV7 ID = new UuidV7(java.time.Clock.systemUTC());
}
