package cardterm.devices.gpio;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hands and eyes on a mock {@link GpioBoard}: sets button inputs (firing the same listeners
 * as a real pin, synchronously, on the caller's thread) and reads lamp and buzzer outputs. For
 * tests and {@code simulate}. Get it from {@link GpioBoard#mockPins()}.
 */
public final class MockPins {
    private record In(String id, int pin, ActiveLevel active, MockDigitalInput input) {
    }

    private record Out(String id, int pin, ActiveLevel active, DigitalOutput output, AtomicLong changes) {
    }

    private final Map<Integer, In> inputsByPin = new ConcurrentHashMap<>();
    private final Map<String, In> inputsById = new ConcurrentHashMap<>();
    private final Map<Integer, Out> outputsByPin = new ConcurrentHashMap<>();
    private final Map<String, Out> outputsById = new ConcurrentHashMap<>();

    MockPins() {
    }

    void watchInput(String id, int pin, ActiveLevel active, MockDigitalInput input) {
        In in = new In(id, pin, active, input);
        inputsByPin.put(pin, in);
        inputsById.put(id, in);
    }

    void watchOutput(String id, int pin, ActiveLevel active, DigitalOutput output) {
        Out out = new Out(id, pin, active, output, new AtomicLong());
        output.addListener(event -> out.changes().incrementAndGet());
        outputsByPin.put(pin, out);
        outputsById.put(id, out);
    }

    /** Sets input {@code pin} to {@code high}, as the wire would. */
    public void setInput(int pin, boolean high) {
        In in = inputsByPin.get(pin);
        if (in == null) {
            throw new IllegalArgumentException("no mock input on pin " + pin + "; inputs: " + inputsByPin.keySet());
        }
        in.input().mockState(high ? DigitalState.HIGH : DigitalState.LOW);
    }

    /** Puts button {@code buttonId}'s pin at its active level. */
    public void press(String buttonId) {
        In in = input(buttonId);
        setInput(in.pin(), in.active().levelFor(true));
    }

    /** Puts button {@code buttonId}'s pin at its idle level. */
    public void release(String buttonId) {
        In in = input(buttonId);
        setInput(in.pin(), in.active().levelFor(false));
    }

    /** Whether {@code pin} (an input or an output) is high now. */
    public boolean isHigh(int pin) {
        Out out = outputsByPin.get(pin);
        if (out != null) {
            return out.output().state() == DigitalState.HIGH;
        }
        In in = inputsByPin.get(pin);
        if (in != null) {
            return in.input().state() == DigitalState.HIGH;
        }
        throw new IllegalArgumentException("no mock pin " + pin);
    }

    /** Whether lamp or buzzer {@code deviceId} is lit or sounding now (its pin at the active level). */
    public boolean isOn(String deviceId) {
        Out out = output(deviceId);
        return out.active().isActive(out.output().state() == DigitalState.HIGH);
    }

    /** How many times lamp or buzzer {@code deviceId}'s pin has changed level since it was opened. */
    public long changes(String deviceId) {
        return output(deviceId).changes().get();
    }

    private In input(String buttonId) {
        In in = inputsById.get(buttonId);
        if (in == null) {
            throw new IllegalArgumentException("no mock button " + buttonId + "; buttons: " + inputsById.keySet());
        }
        return in;
    }

    private Out output(String deviceId) {
        Out out = outputsById.get(deviceId);
        if (out == null) {
            throw new IllegalArgumentException("no mock output " + deviceId + "; outputs: " + outputsById.keySet());
        }
        return out;
    }
}
