package cardterm.devices.gpio;

import static cardterm.devices.gpio.ButtonEventType.LONG_PRESS;
import static cardterm.devices.gpio.ButtonEventType.PRESSED;
import static cardterm.devices.gpio.ButtonEventType.RELEASED;
import static cardterm.devices.gpio.ButtonEventType.STUCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The button's pure logic, fed levels and ticks at chosen times (ms after T0). */
class ButtonLogicTest {
    private static final Instant T0 = Instant.parse("2026-11-26T02:00:00Z");
    private static final ButtonTiming TIMING = ButtonTiming.DEFAULT; // 30 ms, 3 s, 30 s

    private final ButtonLogic logic = new ButtonLogic("call-1", TIMING, false, T0);
    private final List<ButtonEvent> seen = new ArrayList<>();

    private List<ButtonEvent> level(boolean active, long ms) {
        List<ButtonEvent> e = logic.level(active, at(ms));
        seen.addAll(e);
        return e;
    }

    private List<ButtonEvent> tick(long ms) {
        List<ButtonEvent> e = logic.tick(at(ms));
        seen.addAll(e);
        return e;
    }

    private static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    private List<ButtonEventType> types() {
        return seen.stream().map(ButtonEvent::type).toList();
    }

    @Test
    void firstContactIsAPressAtOnce() {
        assertThat(level(true, 100)).containsExactly(
                new ButtonEvent("call-1", PRESSED, at(100), Duration.ZERO));
        assertThat(logic.held()).isTrue();
    }

    @Test
    void releaseCountsOnlyAfterTheLineStaysReleasedForTheDebounceTime() {
        level(true, 0);
        assertThat(level(false, 200)).isEmpty();
        assertThat(logic.nextDeadline()).contains(at(230));
        assertThat(tick(229)).isEmpty();
        assertThat(tick(230)).containsExactly(
                new ButtonEvent("call-1", RELEASED, at(230), Duration.ofMillis(200)));
        assertThat(logic.held()).isFalse();
        assertThat(logic.nextDeadline()).isEmpty();
    }

    @Test
    void contactBounceOnPressAndReleaseIsOnePress() {
        // press bounces: 0 on, 1 off, 2 on, 4 off, 5 on
        level(true, 0);
        level(false, 1);
        level(true, 2);
        level(false, 4);
        level(true, 5);
        // release bounces: 300 off, 301 on, 303 off
        level(false, 300);
        level(true, 301);
        level(false, 303);
        tick(332);
        assertThat(types()).containsExactly(PRESSED);
        tick(333);
        assertThat(types()).containsExactly(PRESSED, RELEASED);
        assertThat(seen.get(1).held()).isEqualTo(Duration.ofMillis(303));
    }

    @Test
    void repeatedLevelsAreHarmless() {
        level(true, 0);
        level(true, 10);
        level(false, 20);
        level(false, 25);
        tick(60);
        assertThat(types()).containsExactly(PRESSED, RELEASED);
    }

    @Test
    void aNewPressAfterASettledReleaseIsANewPress() {
        level(true, 0);
        level(false, 100);
        level(true, 140); // 40 ms after release: the release settled at 130
        assertThat(types()).containsExactly(PRESSED, RELEASED, PRESSED);
    }

    @Test
    void aHundredPressesASecondAreOnePress() {
        // 5 ms contact, 5 ms gap, 100 times: chatter shorter than the debounce time
        for (int i = 0; i < 100; i++) {
            level(true, i * 10L);
            level(false, i * 10L + 5);
        }
        tick(2_000);
        assertThat(types()).containsExactly(PRESSED, RELEASED);
        assertThat(seen.get(1).held()).isEqualTo(Duration.ofMillis(995));
    }

    @Test
    void longPressIsToldOnceAtThreeSecondsThenReleaseFollows() {
        level(true, 0);
        assertThat(logic.nextDeadline()).contains(at(3_000));
        assertThat(tick(2_999)).isEmpty();
        assertThat(tick(3_000)).containsExactly(
                new ButtonEvent("call-1", LONG_PRESS, at(3_000), Duration.ofSeconds(3)));
        assertThat(tick(3_500)).isEmpty();
        level(false, 4_000);
        tick(4_030);
        assertThat(types()).containsExactly(PRESSED, LONG_PRESS, RELEASED);
    }

    @Test
    void longPressIsMeasuredFromTheFirstContactEvenWhenTheTickComesLate() {
        level(true, 0);
        // released at 2 990, before the long press time; the tick comes only at 3 100
        level(false, 2_990);
        tick(3_100);
        assertThat(types()).containsExactly(PRESSED, RELEASED);
    }

    @Test
    void longPressIsToldWhenHeldPastItEvenIfTheLineIsLetGoBeforeTheLateTick() {
        level(true, 0);
        level(false, 3_050);
        tick(3_100);
        assertThat(types()).containsExactly(PRESSED, LONG_PRESS, RELEASED);
    }

    @Test
    void chatterWhileHeldDoesNotStopTheLongPress() {
        level(true, 0);
        for (int ms = 1_000; ms < 2_000; ms += 10) {
            level(false, ms);
            level(true, ms + 3);
        }
        tick(3_000);
        assertThat(types()).containsExactly(PRESSED, LONG_PRESS);
    }

    @Test
    void heldPastTheLimitIsStuckAndIgnoredUntilReleased() {
        level(true, 0);
        tick(3_000);
        assertThat(logic.nextDeadline()).contains(at(30_000));
        assertThat(tick(30_000)).containsExactly(
                new ButtonEvent("call-1", STUCK, at(30_000), Duration.ofSeconds(30)));
        assertThat(logic.stuck()).isTrue();
        assertThat(logic.nextDeadline()).isEmpty();
        // chatter while stuck: nothing
        level(false, 40_000);
        level(true, 40_010);
        tick(100_000);
        assertThat(types()).containsExactly(PRESSED, LONG_PRESS, STUCK);
        // released for good: RELEASED, no longer stuck, and the next press counts again
        level(false, 100_000);
        tick(100_030);
        assertThat(logic.stuck()).isFalse();
        level(true, 101_000);
        assertThat(types()).containsExactly(PRESSED, LONG_PRESS, STUCK, RELEASED, PRESSED);
    }

    @Test
    void aButtonHeldWhenWatchingStartsIsNoPressButCanBeStuck() {
        ButtonLogic heldAtStart = new ButtonLogic("call-2", TIMING, true, T0);
        assertThat(heldAtStart.tick(at(3_000))).isEmpty();
        assertThat(heldAtStart.tick(at(30_000))).extracting(ButtonEvent::type).containsExactly(STUCK);
        assertThat(heldAtStart.level(false, at(31_000))).isEmpty();
        assertThat(heldAtStart.tick(at(31_030))).isEmpty();
        assertThat(heldAtStart.stuck()).isFalse();
        assertThat(heldAtStart.level(true, at(32_000))).extracting(ButtonEvent::type).containsExactly(PRESSED);
    }

    @Test
    void zeroDebounceReleasesAtOnce() {
        ButtonLogic noDebounce = new ButtonLogic("call-3",
                new ButtonTiming(Duration.ZERO, Duration.ofSeconds(3), Duration.ofSeconds(30)), false, T0);
        assertThat(noDebounce.level(true, at(0))).extracting(ButtonEvent::type).containsExactly(PRESSED);
        assertThat(noDebounce.level(false, at(5))).extracting(ButtonEvent::type).containsExactly(RELEASED);
        assertThat(noDebounce.level(true, at(10))).extracting(ButtonEvent::type).containsExactly(PRESSED);
    }

    @Test
    void timingReportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> new ButtonTiming(Duration.ofMillis(-1), Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("debounce: must not be negative")
                .hasMessageContaining("longPress: must be positive")
                .hasMessageContaining("stuckAfter: must be longer than longPress");
        assertThat(ButtonTiming.check(null, null, null).size()).isEqualTo(3);
    }
}
