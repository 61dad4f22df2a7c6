package cardterm.terminal.assist;

import static cardterm.terminal.assist.CallStateMachine.ACKNOWLEDGED;
import static cardterm.terminal.assist.CallStateMachine.RAISED;
import static cardterm.terminal.assist.CallStateMachine.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.gpio.GpioBoard;
import cardterm.devices.gpio.MockPins;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real time, real threads: a Pi4J mock input goes low, the button tells PRESSED, a call is raised
 * and stored, and the lamp's output pin blinks; acknowledged it holds steady, resolved it goes dark.
 */
class AssistEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-assist-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock = Clock.systemUTC();
    private final GpioBoard board = GpioBoard.mock(scheduler, clock);
    private final RecordingEventSink sink = new RecordingEventSink();
    private final AssistService service = AssistService.onBoard(AssistFixtures.config(), board, sink, scheduler, clock);

    @AfterEach
    void close() {
        service.close();
        board.close();
        scheduler.shutdownNow();
    }

    @Test
    void mockInputLowRaisesACallAndTheLampOutputBlinks() {
        service.start();
        MockPins pins = board.mockPins();
        assertThat(pins.isHigh(17)).as("button idles high (pull-up)").isTrue();
        assertThat(pins.isOn("call-1.lamp")).isFalse();

        pins.setInput(17, false);
        pins.setInput(17, true);

        await().atMost(WAIT).until(() -> sink.types().contains(RAISED));
        String callId = sink.last(RAISED).data().get("callId").asText();
        await().atMost(WAIT).until(() -> pins.changes("call-1.lamp") >= 4);
        assertThat(service.openCalls()).singleElement().extracting(CallSnapshot::callId).isEqualTo(callId);

        assertThat(service.ack(callId, "S1001").ok()).isTrue();
        await().atMost(WAIT).until(() -> pins.isOn("call-1.lamp"));
        assertThat(service.resolve(callId, "S1001").ok()).isTrue();
        assertThat(pins.isOn("call-1.lamp")).isFalse();
        await().atMost(WAIT).until(() -> sink.types().size() == 3);
        assertThat(sink.types()).containsExactly(RAISED, ACKNOWLEDGED, RESOLVED);
    }
}
