package cardterm.devices.gpio;

import cardterm.devices.health.MonitoredDevice;

/**
 * An assistance call button. Debounced, with long press (cancel) and stuck detection; a stuck
 * button reports DEGRADED/STUCK and is ONLINE again once released.
 */
public interface CallButton extends MonitoredDevice, AutoCloseable {
    /** Adds a listener told of every event from now on, in order. */
    void addListener(ButtonListener listener);

    /** Whether the button counts as held now (debounced). */
    boolean held();

    /** Stops watching the pin and releases it. */
    @Override
    void close();
}
