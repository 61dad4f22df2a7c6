package cardterm.devices.pcsc;

/**
 * The PC/SC service (pcscd) is not reachable: stopped, restarted (the process's PC/SC context
 * died with it) or never started, or its client library is missing.
 */
public final class PcscServiceException extends SmartCardException {
    public PcscServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    public PcscServiceException(String message) {
        super(message);
    }
}
