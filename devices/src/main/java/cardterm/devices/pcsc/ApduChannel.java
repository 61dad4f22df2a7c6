package cardterm.devices.pcsc;

/**
 * The one transport between the terminal and a card: a command APDU in, the response APDU (data,
 * then SW1 SW2) out. Implemented over PC/SC and by the simulators, so the chip profile runs
 * unchanged on either; behaviour (GET RESPONSE, tracing) is added by wrappers.
 *
 * <p>Errors are unchecked and typed: {@link CardRemovedException}, {@link ReaderUnavailableException},
 * {@link PcscServiceException}, {@link CardProtocolException}.
 */
public interface ApduChannel extends AutoCloseable {

    /** Sends one command APDU; returns the response, always at least SW1 SW2. */
    byte[] transceive(byte[] command);

    /** {@link #transceive} as an {@link ApduResponse}. */
    default ApduResponse transmit(byte[] command) {
        return new ApduResponse(transceive(command));
    }

    /** Ends the exchange (releases exclusive access, disconnects). Never throws. */
    @Override
    void close();
}
