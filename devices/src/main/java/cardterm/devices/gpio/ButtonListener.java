package cardterm.devices.gpio;

/**
 * Told of every event of a call button, in order. Called on the GPIO event thread or the board's
 * scheduler while the button holds its lock: it must not block (hand slow work to another thread).
 */
@FunctionalInterface
public interface ButtonListener {
    void onButtonEvent(ButtonEvent event);
}
