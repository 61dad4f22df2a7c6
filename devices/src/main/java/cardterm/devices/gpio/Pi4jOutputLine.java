package cardterm.devices.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An {@link OutputLine} over a Pi4J digital output; Pi4J errors become {@link GpioLineException}. */
final class Pi4jOutputLine implements OutputLine {
    private static final Logger log = LoggerFactory.getLogger(Pi4jOutputLine.class);

    private final Context context;
    private final DigitalOutput output;
    private final int pin;

    Pi4jOutputLine(Context context, DigitalOutput output, int pin) {
        this.context = context;
        this.output = output;
        this.pin = pin;
    }

    @Override
    public void set(boolean high) {
        try {
            output.state(high ? DigitalState.HIGH : DigitalState.LOW);
        } catch (RuntimeException e) {
            throw new GpioLineException(pin, "write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        release(context, output.id());
    }

    /** Gives an IO back to the context (which sets an output to its shutdown level). */
    static void release(Context context, String ioId) {
        if (context.isShutdown()) {
            return;
        }
        try {
            context.shutdown(ioId);
        } catch (RuntimeException e) {
            log.debug("releasing {}: {}", ioId, e.toString());
        }
    }
}
