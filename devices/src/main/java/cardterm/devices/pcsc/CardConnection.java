package cardterm.devices.pcsc;

/**
 * An exclusive connection to the card in a reader: an {@link ApduChannel} plus what the card said
 * at reset. Closing ends the exclusive access and resets the card (its security state is dropped).
 */
public interface CardConnection extends ApduChannel {
    byte[] atr();

    /** {@code T=0} or {@code T=1}. */
    String protocol();

    /** The reader the card is in. */
    String readerName();
}
