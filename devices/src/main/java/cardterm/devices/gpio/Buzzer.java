package cardterm.devices.gpio;

import cardterm.devices.health.MonitoredDevice;

/** A call point's buzzer. Never blocks: the pattern plays on the board's scheduler. */
public interface Buzzer extends MonitoredDevice, AutoCloseable {
    /** Plays {@code pattern} from its start, cutting short whatever was playing. */
    void play(BeepPattern pattern);

    /** The pattern last asked for. */
    BeepPattern playing();

    /** Silences the buzzer and releases the pin. */
    @Override
    void close();
}
