package cardterm.devices.testing;

import cardterm.devices.pcsc.PcscReader;
import cardterm.devices.pcsc.PcscService;
import cardterm.devices.chip.sim.VirtualCard;
import cardterm.devices.chip.sim.VpcdCardClient;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Test connector: a {@link VirtualCard} in a reader of the real pcscd through vsmartcard's vpcd
 * ({@link VpcdCardClient} does the wire protocol: 2-byte big-endian length framing, control bytes,
 * ATR, {@code TCP_NODELAY} and {@code TCP_QUICKACK} before every read, buffered writes), plus waits
 * until pcscd has seen the card arrive or leave. Reusable by other modules' tests through the
 * devices test-jar:
 *
 * <pre>{@code
 * Pcscd.ensureRunning();
 * try (VpcdSlot card = VpcdSlot.cardSlot(); VpcdSlot sam = VpcdSlot.samSlot()) {
 *     sam.insertAndWait(SimulatedSam.withTestKey());
 *     card.insertAndWait(SimulatedCard.blank(idCode));      // or new SimulatedCard(idCode, faults)
 *     ... PcscReader.of("reader.card", VpcdSlot.CARD_READER) ...
 *     card.removeAndWait();                                 // pcscd shows the reader empty again
 * }
 * }</pre>
 */
public final class VpcdSlot implements AutoCloseable {
    public static final String HOST = VpcdCardClient.HOST;
    /** vpcd reader 0: the card encoder in tests. */
    public static final int CARD_PORT = VpcdCardClient.CARD_PORT;
    /** vpcd reader 1: the SAM slot in tests. */
    public static final int SAM_PORT = VpcdCardClient.SAM_PORT;
    public static final String CARD_READER = VpcdCardClient.CARD_READER;
    public static final String SAM_READER = VpcdCardClient.SAM_READER;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final VpcdCardClient client;

    public VpcdSlot(int port) {
        this.client = new VpcdCardClient(port);
    }

    /** The slot of the tests' card encoder ({@link #CARD_READER}). */
    public static VpcdSlot cardSlot() {
        return new VpcdSlot(CARD_PORT);
    }

    /** The tests' SAM slot ({@link #SAM_READER}). */
    public static VpcdSlot samSlot() {
        return new VpcdSlot(SAM_PORT);
    }

    /** The PC/SC name of this slot's reader. */
    public String readerName() {
        return client.port() == CARD_PORT ? CARD_READER
                : client.port() == SAM_PORT ? SAM_READER : "Virtual PCD 00 0" + (client.port() - CARD_PORT);
    }

    /** Connects the card to vpcd (returns once connected; pcscd notices a moment later). */
    public void insert(VirtualCard card) {
        client.insert(card);
    }

    /** {@link #insert} and wait (up to 10 s) until pcscd shows the card present. */
    public void insertAndWait(VirtualCard card) {
        insert(card);
        awaitPresence(true);
    }

    /** Pulls the card (disconnects from vpcd). */
    public void remove() {
        client.remove();
    }

    /** {@link #remove} and wait (up to 10 s) until pcscd shows the reader empty, so a next card is a new card to it. */
    public void removeAndWait() {
        remove();
        awaitPresence(false);
    }

    /** Waits (up to 10 s) until pcscd shows this reader with or without a card. */
    public void awaitPresence(boolean present) {
        Awaitility.await(readerName() + (present ? " to show a card" : " to show no card"))
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(10))
                .ignoreExceptions()
                .until(() -> PcscService.shared().isCardPresent(readerName()) == present);
    }

    /** The inserted card, or null. */
    public VirtualCard card() {
        return client.card();
    }

    public boolean isInserted() {
        return client.isInserted();
    }

    /** Whether the TCP connection to vpcd is up. */
    public boolean isConnected() {
        return client.isConnected();
    }

    /** Command APDUs the card answered. */
    public int apduCount() {
        return client.apduCount();
    }

    @Override
    public void close() {
        client.close();
    }
}
