package cardterm.devices.gpio;

/** A pin could not be opened, read or written; carries the pin and what the library said. */
final class GpioLineException extends RuntimeException {
    private final int pin;

    GpioLineException(int pin, String message, Throwable cause) {
        super("pin " + pin + ": " + message, cause);
        this.pin = pin;
    }

    int pin() {
        return pin;
    }
}
