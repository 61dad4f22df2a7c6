package cardterm.terminal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthListener;
import cardterm.devices.printer.CardPrinter;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.Panel;
import cardterm.devices.printer.PrinterFlag;
import cardterm.devices.printer.PrinterInfo;
import cardterm.devices.printer.PrinterState;
import cardterm.devices.printer.PrinterStatus;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.Supplies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code printer-test} as a unit: refusals, the event, and a job waiting out a test card. */
class PrinterTestCommandTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch printing = new CountDownLatch(1);
    private final CountDownLatch finishPrint = new CountDownLatch(1);
    private final AtomicBoolean jobs = new AtomicBoolean();
    private volatile PrinterStatus status = PrinterStatus.of(PrinterState.READY);

    /** A printer that records calls; {@code print} waits until the test lets it finish. */
    private final CardPrinter printer = new CardPrinter() {
        @Override
        public PrinterStatus status() {
            calls.add("status");
            return status;
        }

        @Override
        public Supplies supplies() {
            calls.add("supplies");
            return new Supplies(RibbonType.K, 100, 0, 0);
        }

        @Override
        public PrinterInfo info() {
            return new PrinterInfo("fw", "sn");
        }

        @Override
        public void feedToEncoder() {
            calls.add("feed");
        }

        @Override
        public void print(CardSide side, Map<Panel, byte[]> panels) {
            calls.add("print " + panels.keySet());
            printing.countDown();
            try {
                finishPrint.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void eject() {
            calls.add("eject");
        }

        @Override
        public void reject() {
            calls.add("reject");
        }

        @Override
        public String deviceId() {
            return "printer";
        }

        @Override
        public DeviceHealth health() {
            return DeviceHealth.online(Instant.EPOCH);
        }

        @Override
        public void addHealthListener(HealthListener listener) {
        }
    };

    private final PrinterTestCommand command = new PrinterTestCommand(printer, jobs::get, (type, data) -> {
        events.add(data.put("type", type));
        return null;
    }, Clock.systemUTC());

    private static CommandRequest request(String id, ObjectNode args) {
        return new CommandRequest(id, Instant.now(), "printer-test", args);
    }

    private static CommandRequest request(String id) {
        return request(id, JsonNodeFactory.instance.objectNode());
    }

    @Test
    void printsOffTheCommandThreadAndAJobWaitsOutTheTestCard() throws Exception {
        CommandResult r = command.handle(request("r-1"));
        assertThat(r).isInstanceOf(CommandResult.Ok.class);
        assertThat(((CommandResult.Ok) r).result().path("started").asBoolean()).isTrue();
        assertThat(printing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(command.testing()).isTrue();

        // a second test is refused; a job's first call (status) waits
        CommandResult again = command.handle(request("r-2"));
        assertThat(again).isEqualTo(new CommandResult.Failed("BUSY", "a test card is being printed already", List.of()));
        CompletableFuture<PrinterStatus> jobStatus = CompletableFuture.supplyAsync(() -> {
            try {
                return command.sharedPrinter().status();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !jobStatus.isDone());

        finishPrint.countDown();
        assertThat(jobStatus.get(5, TimeUnit.SECONDS).state()).isEqualTo(PrinterState.READY);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
        ObjectNode e = events.get(0);
        assertThat(e.path("type").asText()).isEqualTo(PrinterTestCommand.EVENT);
        assertThat(e.path("ok").asBoolean()).isTrue();
        assertThat(e.path("requestId").asText()).isEqualTo("r-1");
        assertThat(e.path("ribbon").asText()).isEqualTo("K");
        assertThat(calls).containsExactly("status", "supplies", "print [K]", "eject", "status");
        assertThat(command.testing()).isFalse();
    }

    @Test
    void refusedWhileACardJobRunsOrWaitsAndWithArgs() {
        jobs.set(true);
        assertThat(command.handle(request("r-1"))).isInstanceOfSatisfying(CommandResult.Failed.class,
                f -> assertThat(f.code()).isEqualTo("BUSY"));
        assertThat(command.testing()).isFalse();
        jobs.set(false);
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("side", "back");
        assertThat(command.handle(request("r-2", args))).isInstanceOfSatisfying(CommandResult.Failed.class,
                f -> assertThat(f.problems()).containsExactly("side: unknown field (printer-test takes no args)"));
        assertThat(calls).isEmpty();
    }

    @Test
    void aPrinterInErrorIsToldInTheEventAndNoCardMoves() {
        status = PrinterStatus.of(PrinterState.ERROR, PrinterFlag.COVER_OPEN);
        assertThat(command.handle(request("r-1"))).isInstanceOf(CommandResult.Ok.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
        ObjectNode e = events.get(0);
        assertThat(e.path("ok").asBoolean()).isFalse();
        assertThat(e.path("code").asText()).isEqualTo("PRINTER_NOT_READY");
        assertThat(e.path("message").asText()).contains("COVER_OPEN");
        assertThat(e.path("cardRejected").asBoolean()).isFalse();
        assertThat(calls).containsExactly("status");
        assertThat(command.testing()).isFalse();
    }
}
