package cardterm.devices.gpio;

import cardterm.devices.health.MonitoredDevice;

/** A call point's lamp. Never blocks: the pattern plays on the board's scheduler. */
public interface Lamp extends MonitoredDevice, AutoCloseable {
    /** Shows {@code pattern} from now on; showing the pattern already shown changes nothing. */
    void show(LampPattern pattern);

    /** The pattern shown now. */
    LampPattern showing();

    /** Switches the lamp off and releases the pin. */
    @Override
    void close();
}
