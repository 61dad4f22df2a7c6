package cardterm.devices.pcsc;

/** Told when a card arrives in or leaves a reader. Called on the reader's watcher thread: must not block. */
@FunctionalInterface
public interface CardPresenceListener {
    /**
     * @param deviceId the reader's role id ({@code reader.card})
     * @param present true when a card arrived, false when it left
     */
    void cardPresenceChanged(String deviceId, boolean present);
}
