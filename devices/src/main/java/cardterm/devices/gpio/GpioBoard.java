package cardterm.devices.gpio;

import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTrackedDevice;
import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputProvider;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal's GPIO header: makes call buttons, lamps and buzzers on pins (BCM numbers, which
 * are the line offsets of the Pi's gpiod chip), keeping Pi4J inside. The Pi4J context is built
 * explicitly with one provider - gpiod on a Pi, mock in tests and {@code simulate} - never found
 * on the classpath. Pi4J trouble never throws out of here: a pin that cannot be opened gives a
 * device that is OFFLINE/CONFIGURATION_ERROR with Pi4J's message, and the board itself reports
 * its health as device {@value #DEVICE_ID}.
 *
 * <p>On the mock board, {@link #mockPins()} drives button inputs and reads lamp and buzzer
 * outputs. Closing the board switches every output off and releases every pin; it does not touch
 * the scheduler, which belongs to the caller.
 */
public final class GpioBoard extends HealthTrackedDevice implements AutoCloseable {
    /** The board's device id in health reports. */
    public static final String DEVICE_ID = "gpio";

    /** Which Pi4J provider drives the pins. */
    public enum Kind {
        /** pi4j-plugin-mock: inputs set by {@link MockPins}, outputs only remembered. */
        MOCK,
        /** pi4j-plugin-gpiod: the Pi's GPIO character device. */
        GPIOD
    }

    private static final Logger log = LoggerFactory.getLogger(GpioBoard.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Kind kind;
    private final String chipName;
    private final Context context;
    private final DigitalInputProvider inputs;
    private final DigitalOutputProvider outputs;
    private final String failure;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final MockPins mockPins;

    private final Map<Integer, String> pinOwners = new LinkedHashMap<>();
    private final Map<String, AutoCloseable> devices = new LinkedHashMap<>();
    private boolean closed;

    private GpioBoard(Kind kind, String chipName, ScheduledExecutorService scheduler, Clock clock) {
        super(DEVICE_ID, clock);
        this.kind = kind;
        this.chipName = chipName;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        DigitalInputProvider in = null;
        DigitalOutputProvider out = null;
        Context ctx = null;
        String why = null;
        try {
            if (kind == Kind.MOCK) {
                in = MockDigitalInputProvider.newInstance();
                out = MockDigitalOutputProvider.newInstance();
            } else {
                in = GpioDDigitalInputProvider.newInstance();
                out = GpioDDigitalOutputProvider.newInstance();
            }
            DigitalInputProvider fin = in;
            DigitalOutputProvider fout = out;
            ctx = Pi4jQuiet.build(() -> {
                ContextBuilder b = ContextBuilder.newInstance()
                        .noAutoDetect()
                        .noAutoInject()
                        .disableShutdownHook()
                        .add(fin, fout);
                if (chipName != null) {
                    b.setGpioChipName(chipName);
                }
                return b.build();
            });
            if (kind == Kind.GPIOD && !Pi4jQuiet.runningOnRaspberryPi()) {
                why = "not a Raspberry Pi: gpiod chip " + chipName + " is not there";
            }
        } catch (RuntimeException | LinkageError e) {
            why = "Pi4J " + kind.name().toLowerCase() + " did not start: " + e;
        }
        this.context = ctx;
        this.inputs = in;
        this.outputs = out;
        this.failure = ctx == null && why == null ? "Pi4J did not start" : why;
        if (failure == null) {
            health.online();
        } else {
            log.warn("GPIO board ({}): {}", describe(), failure);
            health.set(HealthReason.CONFIGURATION_ERROR, failure);
        }
        this.mockPins = kind == Kind.MOCK ? new MockPins() : null;
    }

    /** A board on Pi4J's mock provider: for tests and {@code simulate}. */
    public static GpioBoard mock(ScheduledExecutorService scheduler, Clock clock) {
        return new GpioBoard(Kind.MOCK, null, scheduler, clock);
    }

    /**
     * A board on a Raspberry Pi's gpiod chip, e.g. {@code gpiochip0} (Pi 4 and, on current
     * kernels, Pi 5; older Pi 5 kernels named it {@code gpiochip4}). Off a Pi it still returns: the
     * board and every device on it are OFFLINE/CONFIGURATION_ERROR.
     */
    public static GpioBoard gpiod(String chipName, ScheduledExecutorService scheduler, Clock clock) {
        if (chipName == null || chipName.isBlank()) {
            throw new IllegalArgumentException("gpiod needs a chip name, e.g. gpiochip0");
        }
        return new GpioBoard(Kind.GPIOD, chipName.strip(), scheduler, clock);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * A call button on input {@code pin}.
     *
     * @throws IllegalArgumentException if the id is malformed or taken, or the pin is taken
     */
    public synchronized CallButton button(String id, int pin, ButtonSettings settings) {
        Objects.requireNonNull(settings, "settings");
        claim(id, pin);
        InputLine line = null;
        MockDigitalInput mock = null;
        String why = failure;
        if (why == null) {
            try {
                DigitalInput input = inputs.create(DigitalInput.newConfigBuilder(context)
                        .id(id)
                        .name(id)
                        .address(pin)
                        .pull(pull(settings.pull()))
                        .debounce(0L) // debounce is ButtonLogic's, the same on every provider
                        .build());
                if (input instanceof MockDigitalInput m) {
                    // The mock has no resistors: show the idle level a pull would give.
                    m.mockState(settings.active().levelFor(false) ? DigitalState.HIGH : DigitalState.LOW);
                    mock = m;
                }
                line = new Pi4jInputLine(context, input, pin);
            } catch (RuntimeException | LinkageError e) {
                why = "pin " + pin + " could not be opened as input: " + e.getMessage();
                log.warn("{}: {}", id, why);
            }
        }
        GpioCallButton button = new GpioCallButton(id, line, why, settings, scheduler, clock);
        register(id, pin, button);
        if (mockPins != null && mock != null) {
            mockPins.watchInput(id, pin, settings.active(), mock);
        }
        return button;
    }

    /**
     * A lamp on output {@code pin}, lit at {@code active}.
     *
     * @throws IllegalArgumentException if the id is malformed or taken, or the pin is taken
     */
    public synchronized Lamp lamp(String id, int pin, ActiveLevel active) {
        Opened opened = openOutput(id, pin, active);
        GpioLamp lamp = new GpioLamp(id, opened.line(), opened.failure(), active, scheduler, clock);
        register(id, pin, lamp);
        return lamp;
    }

    /**
     * A buzzer on output {@code pin}, sounding at {@code active}.
     *
     * @throws IllegalArgumentException if the id is malformed or taken, or the pin is taken
     */
    public synchronized Buzzer buzzer(String id, int pin, ActiveLevel active) {
        Opened opened = openOutput(id, pin, active);
        GpioBuzzer buzzer = new GpioBuzzer(id, opened.line(), opened.failure(), active, scheduler, clock);
        register(id, pin, buzzer);
        return buzzer;
    }

    /**
     * Drives and reads the pins of a mock board.
     *
     * @throws IllegalStateException on a gpiod board
     */
    public MockPins mockPins() {
        if (mockPins == null) {
            throw new IllegalStateException("pins can be driven on the mock board only, this is " + describe());
        }
        return mockPins;
    }

    /** An output pin opened, or why not. */
    private record Opened(OutputLine line, String failure) {
    }

    private Opened openOutput(String id, int pin, ActiveLevel active) {
        Objects.requireNonNull(active, "active");
        claim(id, pin);
        if (failure != null) {
            return new Opened(null, failure);
        }
        try {
            DigitalState off = active.levelFor(false) ? DigitalState.HIGH : DigitalState.LOW;
            DigitalOutput output = outputs.create(DigitalOutput.newConfigBuilder(context)
                    .id(id)
                    .name(id)
                    .address(pin)
                    .initial(off)
                    .shutdown(off)
                    .build());
            if (mockPins != null) {
                mockPins.watchOutput(id, pin, active, output);
            }
            return new Opened(new Pi4jOutputLine(context, output, pin), null);
        } catch (RuntimeException | LinkageError e) {
            String why = "pin " + pin + " could not be opened as output: " + e.getMessage();
            log.warn("{}: {}", id, why);
            return new Opened(null, why);
        }
    }

    private void claim(String id, int pin) {
        if (closed) {
            throw new IllegalStateException("the GPIO board is closed");
        }
        List<String> problems = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            problems.add("device id must match " + ID.pattern() + ", got " + id);
        } else if (devices.containsKey(id)) {
            problems.add("device id " + id + " is already used");
        }
        if (pin < 0 || pin > 255) {
            problems.add("pin must be 0..255, got " + pin);
        } else if (pinOwners.containsKey(pin)) {
            problems.add("pin " + pin + " is already used by " + pinOwners.get(pin));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private void register(String id, int pin, AutoCloseable device) {
        pinOwners.put(pin, id);
        devices.put(id, device);
    }

    private static PullResistance pull(Pull pull) {
        return switch (pull) {
            case NONE -> PullResistance.OFF;
            case UP -> PullResistance.PULL_UP;
            case DOWN -> PullResistance.PULL_DOWN;
        };
    }

    private String describe() {
        return kind == Kind.MOCK ? "Pi4J mock" : "Pi4J gpiod " + chipName;
    }

    /** Switches outputs off, releases every pin and shuts Pi4J down. Idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(devices.values());
        }
        for (AutoCloseable d : toClose) {
            try {
                d.close();
            } catch (Exception e) {
                log.debug("closing {}: {}", d, e.toString());
            }
        }
        if (context != null) {
            try {
                context.shutdown();
            } catch (RuntimeException e) {
                log.debug("Pi4J shutdown: {}", e.toString());
            }
        }
        health.set(HealthReason.GONE, "closed");
    }

    @Override
    public String toString() {
        return "GpioBoard[" + describe() + " " + health() + "]";
    }
}
