package cardterm.devices.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;

/** An {@link InputLine} over a Pi4J digital input; Pi4J errors become {@link GpioLineException}. */
final class Pi4jInputLine implements InputLine {
    private final Context context;
    private final DigitalInput input;
    private final int pin;

    Pi4jInputLine(Context context, DigitalInput input, int pin) {
        this.context = context;
        this.input = input;
        this.pin = pin;
    }

    @Override
    public boolean isHigh() {
        try {
            return input.state() == DigitalState.HIGH;
        } catch (RuntimeException e) {
            throw new GpioLineException(pin, "read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void onChange(LevelListener listener) {
        input.addListener(event -> {
            DigitalState s = event.state();
            if (s == DigitalState.HIGH || s == DigitalState.LOW) {
                listener.levelChanged(s == DigitalState.HIGH);
            }
        });
    }

    @Override
    public void close() {
        Pi4jOutputLine.release(context, input.id());
    }
}
