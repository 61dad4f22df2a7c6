package cardterm.devices.pcsc;

/** The card broke the transmission protocol: a response without status word, an endless 61xx chain. */
public final class CardProtocolException extends SmartCardException {
    public CardProtocolException(String message) {
        super(message);
    }
}
