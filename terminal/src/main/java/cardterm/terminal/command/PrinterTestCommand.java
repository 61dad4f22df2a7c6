package cardterm.terminal.command;

import cardterm.devices.check.Problems;
import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthListener;
import cardterm.devices.printer.CardPrinter;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.Panel;
import cardterm.devices.printer.PrinterException;
import cardterm.devices.printer.PrinterInfo;
import cardterm.devices.printer.PrinterStatus;
import cardterm.devices.printer.PrinterTestCard;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.Supplies;
import cardterm.terminal.event.EventSink;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's {@code printer-test} command: prints {@link PrinterTestCard} on the terminal's printer
 * (colour or black, as the loaded ribbon allows) and ejects it. The reply says the test started
 * (or why not: {@code BUSY} while a card job runs or waits, or another test prints); the card is
 * printed on a thread of its own, never on the command thread, and a {@value #EVENT} event says how
 * it ended.
 *
 * <p>Issuance must use {@link #sharedPrinter()}: its {@code status()} - the first call of every
 * job - waits while a test card is in the printer, so a job never starts in the middle of a test.
 */
public final class PrinterTestCommand implements CommandHandler {
    public static final String NAME = "printer-test";
    public static final String EVENT = "device.printer-test";
    /** A job waits this long at most for a test card to finish before it goes on. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(PrinterTestCommand.class);

    private final CardPrinter printer;
    private final BooleanSupplier jobsPending;
    private final EventSink events;
    private final Clock clock;
    private final Object lock = new Object();
    private boolean testing;

    /**
     * @param jobsPending whether a card job is running or queued (then a test is refused)
     */
    public PrinterTestCommand(CardPrinter printer, BooleanSupplier jobsPending, EventSink events, Clock clock) {
        this.printer = Objects.requireNonNull(printer, "printer");
        this.jobsPending = Objects.requireNonNull(jobsPending, "jobsPending");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** After a restart mid-command the card may have been printed: never print it twice unasked. */
    @Override
    public CommandResult recover(CommandRequest request) {
        return CommandResult.failed("INTERRUPTED", "the terminal restarted while this test card was being "
                + "printed; look in the printer's output tray before asking again");
    }

    @Override
    public CommandResult handle(CommandRequest request) {
        Problems p = new Problems();
        for (Iterator<String> it = request.args().fieldNames(); it.hasNext(); ) {
            p.add(it.next(), "unknown field (printer-test takes no args)");
        }
        if (!p.isEmpty()) {
            return CommandResult.invalid(p);
        }
        synchronized (lock) {
            if (testing) {
                return CommandResult.failed("BUSY", "a test card is being printed already");
            }
            testing = true; // from here on, a job that starts waits in status()
        }
        if (jobsPending.getAsBoolean()) {
            release();
            return CommandResult.failed("BUSY", "a card job is running or queued; ask again when the printer is free");
        }
        long started = clock.millis();
        try {
            Thread.ofPlatform().daemon().name("cardterm-printer-test").start(() -> run(request.requestId(), started));
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        ObjectNode res = JsonNodeFactory.instance.objectNode();
        res.put("started", true);
        res.put("event", EVENT);
        return CommandResult.ok(res);
    }

    /** Whether a test card is being printed now. */
    public boolean testing() {
        synchronized (lock) {
            return testing;
        }
    }

    private void run(String requestId, long started) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("device", printer.deviceId());
        d.put("requestId", requestId);
        try {
            PrinterStatus st = printer.status();
            if (!st.canStartJob()) {
                fail(d, "PRINTER_NOT_READY", "printer " + st, false);
                return;
            }
            RibbonType ribbon = printer.supplies().ribbon();
            d.put("ribbon", ribbon.name());
            try {
                printer.print(CardSide.FRONT, PrinterTestCard.panels(ribbon));
                printer.eject();
            } catch (PrinterException e) {
                fail(d, code(e), e.getMessage(), rejectQuietly());
                return;
            }
            d.put("ok", true);
            log.info("printer test card printed on a {} ribbon and ejected", ribbon);
        } catch (PrinterException e) {
            fail(d, code(e), e.getMessage(), false);
        } catch (RuntimeException e) {
            log.error("printer test failed", e);
            fail(d, "INTERNAL", e.getClass().getSimpleName(), rejectQuietly());
        } finally {
            release();
            d.put("ms", Math.max(0, clock.millis() - started));
            try {
                events.publish(EVENT, d);
            } catch (RuntimeException e) {
                log.error("could not store the {} event: {}", EVENT, e.toString());
            }
        }
    }

    private static void fail(ObjectNode d, String code, String message, boolean rejected) {
        d.put("ok", false);
        d.put("code", code);
        if (message != null && !message.isBlank()) {
            d.put("message", message.length() > 500 ? message.substring(0, 500) : message);
        }
        d.put("cardRejected", rejected);
        log.warn("printer test card failed: {} {}", code, message);
    }

    private boolean rejectQuietly() {
        try {
            printer.reject();
            return true;
        } catch (PrinterException e) {
            return false;
        }
    }

    private static String code(PrinterException e) {
        return e.code().map(Enum::name).orElse(switch (e.failure()) {
            case TIMEOUT -> "PRINTER_TIMEOUT";
            case LINK_DOWN -> "PRINTER_UNAVAILABLE";
            case REFUSED -> "PRINTER_ERROR";
        });
    }

    private void release() {
        synchronized (lock) {
            testing = false;
            lock.notifyAll();
        }
    }

    /** Waits (bounded) while a test card is being printed; false if it still is. */
    private boolean awaitNoTest() throws InterruptedException {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        synchronized (lock) {
            while (testing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** The printer for issuance: the same printer, whose {@code status()} waits out a test card. */
    public CardPrinter sharedPrinter() {
        return new Shared();
    }

    private final class Shared implements CardPrinter {
        @Override
        public PrinterStatus status() throws PrinterException {
            try {
                if (!awaitNoTest()) {
                    log.warn("a test card has held the printer for {} min; the job goes on", MAX_WAIT.toMinutes());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return printer.status();
        }

        @Override
        public Supplies supplies() throws PrinterException {
            return printer.supplies();
        }

        @Override
        public PrinterInfo info() throws PrinterException {
            return printer.info();
        }

        @Override
        public void feedToEncoder() throws PrinterException {
            printer.feedToEncoder();
        }

        @Override
        public void print(CardSide side, Map<Panel, byte[]> panels) throws PrinterException {
            printer.print(side, panels);
        }

        @Override
        public void eject() throws PrinterException {
            printer.eject();
        }

        @Override
        public void reject() throws PrinterException {
            printer.reject();
        }

        @Override
        public String deviceId() {
            return printer.deviceId();
        }

        @Override
        public DeviceHealth health() {
            return printer.health();
        }

        @Override
        public void addHealthListener(HealthListener listener) {
            printer.addHealthListener(listener);
        }
    }
}
