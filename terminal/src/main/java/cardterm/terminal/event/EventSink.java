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
}
