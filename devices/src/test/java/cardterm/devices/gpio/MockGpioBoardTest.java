package cardterm.devices.gpio;

import cardterm.devices.testing.ManualClock;
import cardterm.devices.testing.ManualScheduler;
import static cardterm.devices.gpio.ButtonEventType.LONG_PRESS;
import static cardterm.devices.gpio.ButtonEventType.PRESSED;
import static cardterm.devices.gpio.ButtonEventType.RELEASED;
import static cardterm.devices.gpio.ButtonEventType.STUCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Buttons, lamps and buzzers on Pi4J's mock provider, with a driven clock and scheduler. */
class MockGpioBoardTest {
    private final ManualClock clock = ManualClock.at("2026-11-26T02:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final GpioBoard board = GpioBoard.mock(scheduler, clock);
    private final List<ButtonEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        board.close();
    }

    private List<ButtonEventType> types() {
        return events.stream().map(ButtonEvent::type).toList();
    }

    private CallButton button(String id, int pin, ButtonSettings settings) {
        CallButton b = board.button(id, pin, settings);
        b.addListener(events::add);
        return b;
    }

    @Test
    void boardIsOnlineWithExplicitMockProvider() {
        assertThat(board.kind()).isEqualTo(GpioBoard.Kind.MOCK);
        assertThat(board.health().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(board.deviceId()).isEqualTo("gpio");
    }

    @Test
    void activeLowButtonIdlesHighAndPressesAtOnce() {
        CallButton b = button("call-1", 17, ButtonSettings.DEFAULT);
        MockPins pins = board.mockPins();
        assertThat(b.health().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(pins.isHigh(17)).as("pull-up idle level").isTrue();
        assertThat(b.held()).isFalse();

        pins.setInput(17, false);
        assertThat(types()).containsExactly(PRESSED);
        assertThat(events.get(0).at()).isEqualTo(clock.instant());
        assertThat(b.held()).isTrue();

        pins.setInput(17, true);
        scheduler.advance(Duration.ofMillis(29));
        assertThat(types()).containsExactly(PRESSED);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(types()).containsExactly(PRESSED, RELEASED);
        assertThat(b.held()).isFalse();
    }

    @Test
    void activeHighButtonWithPullDown() {
        button("call-2", 18, new ButtonSettings(Pull.DOWN, ActiveLevel.HIGH, ButtonTiming.DEFAULT));
        MockPins pins = board.mockPins();
        assertThat(pins.isHigh(18)).isFalse();
        pins.press("call-2");
        assertThat(pins.isHigh(18)).isTrue();
        assertThat(types()).containsExactly(PRESSED);
    }

    @Test
    void longPressAndStuckWithHealthDegradedThenOnlineAgain() {
        CallButton b = button("call-1", 17, ButtonSettings.DEFAULT);
        List<String> health = new ArrayList<>();
        b.addHealthListener((id, h) -> health.add(id + " " + h.state() + "/" + h.reason()));
        MockPins pins = board.mockPins();

        pins.press("call-1");
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(types()).containsExactly(PRESSED, LONG_PRESS);
        scheduler.advance(Duration.ofSeconds(27));
        assertThat(types()).containsExactly(PRESSED, LONG_PRESS, STUCK);
        assertThat(b.health().state()).isEqualTo(DeviceState.DEGRADED);
        assertThat(b.health().reason()).isEqualTo(HealthReason.STUCK);
        assertThat(b.health().message()).isEqualTo("held for 30 s");

        pins.release("call-1");
        scheduler.advance(Duration.ofMillis(30));
        assertThat(types()).containsExactly(PRESSED, LONG_PRESS, STUCK, RELEASED);
        assertThat(b.health().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(health).containsExactly("call-1 DEGRADED/STUCK", "call-1 ONLINE/OK");
        assertThat(scheduler.pending()).as("no tick left behind").isZero();
    }

    @Test
    void aHundredPressesASecondThroughTheMockPinAreOnePress() {
        button("call-1", 17, ButtonSettings.DEFAULT);
        MockPins pins = board.mockPins();
        for (int i = 0; i < 100; i++) {
            pins.press("call-1");
            scheduler.advance(Duration.ofMillis(5));
            pins.release("call-1");
            scheduler.advance(Duration.ofMillis(5));
        }
        scheduler.advance(Duration.ofMillis(100));
        assertThat(types()).containsExactly(PRESSED, RELEASED);
    }

    @Test
    void lampBlinksSlowAndFastAndHoldsSteady() {
        Lamp lamp = board.lamp("call-1.lamp", 27, ActiveLevel.HIGH);
        MockPins pins = board.mockPins();
        assertThat(lamp.health().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(pins.isOn("call-1.lamp")).isFalse();

        lamp.show(LampPattern.SLOW);
        assertThat(lamp.showing()).isEqualTo(LampPattern.SLOW);
        assertThat(pins.isOn("call-1.lamp")).as("lit at once, on the caller's thread").isTrue();
        scheduler.advance(Duration.ofMillis(499));
        assertThat(pins.isOn("call-1.lamp")).isTrue();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(pins.isOn("call-1.lamp")).isFalse();
        scheduler.advance(Duration.ofMillis(500));
        assertThat(pins.isOn("call-1.lamp")).isTrue();
        long before = pins.changes("call-1.lamp");
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(pins.changes("call-1.lamp") - before).isEqualTo(20);

        lamp.show(LampPattern.FAST);
        long fastBefore = pins.changes("call-1.lamp");
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(pins.changes("call-1.lamp") - fastBefore).isBetween(7L, 8L);

        lamp.show(LampPattern.ON);
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(pins.isOn("call-1.lamp")).isTrue();
        assertThat(scheduler.pending()).isZero();

        lamp.show(LampPattern.OFF);
        assertThat(pins.isOn("call-1.lamp")).isFalse();
    }

    @Test
    void showingTheSamePatternAgainDoesNotRestartIt() {
        Lamp lamp = board.lamp("call-1.lamp", 27, ActiveLevel.HIGH);
        lamp.show(LampPattern.SLOW);
        scheduler.advance(Duration.ofMillis(400));
        lamp.show(LampPattern.SLOW);
        scheduler.advance(Duration.ofMillis(100));
        assertThat(board.mockPins().isOn("call-1.lamp")).as("still on the first pattern's phase").isFalse();
    }

    @Test
    void activeLowLampDrivesItsPinLowWhenLit() {
        Lamp lamp = board.lamp("call-1.lamp", 27, ActiveLevel.LOW);
        MockPins pins = board.mockPins();
        assertThat(pins.isHigh(27)).as("off = high").isTrue();
        lamp.show(LampPattern.ON);
        assertThat(pins.isHigh(27)).isFalse();
        assertThat(pins.isOn("call-1.lamp")).isTrue();
    }

    @Test
    void buzzerBeepsOnceTwiceAndAlertsUntilSilenced() {
        Buzzer buzzer = board.buzzer("call-1.buzzer", 22, ActiveLevel.HIGH);
        MockPins pins = board.mockPins();

        buzzer.play(BeepPattern.ONE);
        assertThat(pins.isOn("call-1.buzzer")).isTrue();
        scheduler.advance(Duration.ofMillis(500));
        assertThat(pins.isOn("call-1.buzzer")).isFalse();
        assertThat(scheduler.pending()).isZero();

        long before = pins.changes("call-1.buzzer");
        buzzer.play(BeepPattern.TWO);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(pins.changes("call-1.buzzer") - before).as("on off on off").isEqualTo(4);
        assertThat(pins.isOn("call-1.buzzer")).isFalse();

        buzzer.play(BeepPattern.ALERT);
        long alertBefore = pins.changes("call-1.buzzer");
        scheduler.advance(Duration.ofSeconds(20)); // ten periods of 2 s, three beeps each
        assertThat(pins.changes("call-1.buzzer") - alertBefore).isEqualTo(60);
        assertThat(buzzer.playing()).isEqualTo(BeepPattern.ALERT);

        buzzer.play(BeepPattern.OFF);
        assertThat(pins.isOn("call-1.buzzer")).isFalse();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(pins.isOn("call-1.buzzer")).isFalse();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void pinsAndIdsAreClaimedOnceWithEveryProblemTold() {
        board.button("call-1", 17, ButtonSettings.DEFAULT);
        assertThatThrownBy(() -> board.lamp("call-1", 17, ActiveLevel.HIGH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device id call-1 is already used")
                .hasMessageContaining("pin 17 is already used by call-1");
        assertThatThrownBy(() -> board.lamp("bad id", -1, ActiveLevel.HIGH))
                .hasMessageContaining("device id must match")
                .hasMessageContaining("pin must be 0..255, got -1");
    }

    @Test
    void closingTheBoardSwitchesOutputsOff() {
        Lamp lamp = board.lamp("call-1.lamp", 27, ActiveLevel.HIGH);
        lamp.show(LampPattern.ON);
        MockPins pins = board.mockPins();
        assertThat(pins.isOn("call-1.lamp")).isTrue();
        board.close();
        assertThat(pins.isOn("call-1.lamp")).isFalse();
        assertThat(board.health().reason()).isEqualTo(HealthReason.GONE);
        assertThatThrownBy(() -> board.lamp("call-2.lamp", 5, ActiveLevel.HIGH)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void gpiodBoardWithNoSuchChipGivesOfflineDevicesNotExceptions() {
        try (GpioBoard gpiod = GpioBoard.gpiod("gpiochip-none", scheduler, clock)) {
            assertThat(gpiod.kind()).isEqualTo(GpioBoard.Kind.GPIOD);
            assertThat(gpiod.health().state()).isEqualTo(DeviceState.OFFLINE);
            assertThat(gpiod.health().reason()).isEqualTo(HealthReason.CONFIGURATION_ERROR);
            CallButton b = gpiod.button("call-1", 17, ButtonSettings.DEFAULT);
            Lamp lamp = gpiod.lamp("call-1.lamp", 27, ActiveLevel.HIGH);
            Buzzer buzzer = gpiod.buzzer("call-1.buzzer", 22, ActiveLevel.HIGH);
            assertThat(List.of(b.health(), lamp.health(), buzzer.health()))
                    .allSatisfy(h -> {
                        assertThat(h.state()).isEqualTo(DeviceState.OFFLINE);
                        assertThat(h.reason()).isEqualTo(HealthReason.CONFIGURATION_ERROR);
                        assertThat(h.message()).isNotBlank();
                    });
            lamp.show(LampPattern.FAST); // harmless
            buzzer.play(BeepPattern.ALERT);
            assertThatThrownBy(gpiod::mockPins).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> GpioBoard.gpiod(" ", scheduler, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
