package cardterm.devices.pcsc;

import cardterm.devices.health.MonitoredDevice;
import java.util.Optional;

/**
 * One reader slot in a role ({@code reader.card}: the encoder in the printer; {@code reader.sam}:
 * the issuer SAM). Implemented over PC/SC ({@link PcscReader}) and by the simulator. Reports its
 * health (ONLINE, OFFLINE/GONE when unplugged, OFFLINE/SERVICE_DOWN when pcscd is down) and card
 * arrival and removal.
 */
public interface CardReader extends MonitoredDevice, AutoCloseable {

    /** The configured reader name or {@code /pattern/}, for messages. */
    String description();

    /** The name of the matching reader, if one is there now. */
    Optional<String> readerName();

    /** Whether a card is in the reader now; false if the reader or pcscd is unavailable. */
    boolean isCardPresent();

    /**
     * Connects to the card with exclusive access, held until the connection is closed.
     *
     * @throws NoCardException if the reader is empty
     * @throws ReaderUnavailableException if no reader matches
     * @throws PcscServiceException if pcscd does not answer
     */
    CardConnection connect();

    /** Told on the watcher thread when a card arrives or leaves. Must not block. */
    void addCardListener(CardPresenceListener listener);

    /** Stops watching. */
    @Override
    void close();
}
