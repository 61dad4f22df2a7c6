package cardterm.devices.gpio;

/** One digital input pin, as the button adapter sees it: the project's side of Pi4J. */
interface InputLine extends AutoCloseable {
    /** Told the pin's new level on every change; may be called on any thread. */
    @FunctionalInterface
    interface LevelListener {
        void levelChanged(boolean high);
    }

    boolean isHigh();

    /** Sets the one listener of level changes. */
    void onChange(LevelListener listener);

    @Override
    void close();
}
