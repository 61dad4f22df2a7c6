package cardterm.devices.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mock board with a real scheduler and the system clock: a press lights the lamp, blinking. */
class MockGpioEndToEndTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-gpio");
        t.setDaemon(true);
        return t;
    });
    private final GpioBoard board = GpioBoard.mock(scheduler, Clock.systemUTC());

    @AfterEach
    void close() {
        board.close();
        scheduler.shutdownNow();
    }

    @Test
    void pressOnTheMockPinBlinksTheLampAndReleaseAndLongPressFollow() {
        CallButton button = board.button("call-1", 17, new ButtonSettings(Pull.UP, ActiveLevel.LOW,
                new ButtonTiming(Duration.ofMillis(30), Duration.ofMillis(300), Duration.ofSeconds(5))));
        Lamp lamp = board.lamp("call-1.lamp", 27, ActiveLevel.HIGH);
        Buzzer buzzer = board.buzzer("call-1.buzzer", 22, ActiveLevel.HIGH);
        List<ButtonEventType> seen = new CopyOnWriteArrayList<>();
        button.addListener(e -> {
            seen.add(e.type());
            if (e.type() == ButtonEventType.PRESSED) {
                lamp.show(LampPattern.FAST);
                buzzer.play(BeepPattern.ONE);
            } else if (e.type() == ButtonEventType.LONG_PRESS) {
                lamp.show(LampPattern.OFF);
            }
        });
        MockPins pins = board.mockPins();

        pins.press("call-1");
        assertThat(seen).containsExactly(ButtonEventType.PRESSED);
        assertThat(pins.isOn("call-1.lamp")).as("lit before press() returns").isTrue();
        assertThat(pins.isOn("call-1.buzzer")).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> pins.changes("call-1.lamp") >= 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(ButtonEventType.LONG_PRESS));
        await().atMost(Duration.ofSeconds(5)).until(() -> !pins.isOn("call-1.lamp"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !pins.isOn("call-1.buzzer"));

        pins.release("call-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(ButtonEventType.RELEASED));
        assertThat(seen).containsExactly(ButtonEventType.PRESSED, ButtonEventType.LONG_PRESS, ButtonEventType.RELEASED);
    }
}
