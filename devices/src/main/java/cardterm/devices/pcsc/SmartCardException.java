package cardterm.devices.pcsc;

/**
 * Root of the reader layer's typed, unchecked errors. Library errors (PC/SC strings, vpcd quirks)
 * are translated into its subclasses at the adapter; messages never carry APDU data.
 */
public class SmartCardException extends RuntimeException {
    public SmartCardException(String message) {
        super(message);
    }

    public SmartCardException(String message, Throwable cause) {
        super(message, cause);
    }
}
