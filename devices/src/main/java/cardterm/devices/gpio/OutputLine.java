package cardterm.devices.gpio;

/** One digital output pin, as lamps and buzzers see it: the project's side of Pi4J. */
interface OutputLine extends AutoCloseable {
    /** Drives the pin; throws {@link GpioLineException} if the write fails. */
    void set(boolean high);

    @Override
    void close();
}
