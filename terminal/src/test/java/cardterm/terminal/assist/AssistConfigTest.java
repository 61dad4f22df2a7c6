package cardterm.terminal.assist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cardterm.terminal.assist.AssistConfig.ButtonConfig;
import cardterm.terminal.assist.AssistConfig.Post;
import cardterm.terminal.assist.AssistConfig.Timing;
import cardterm.terminal.assist.AssistConfig.Wiring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssistConfigTest {
    @Test
    void aGoodConfigHasDefaultsFromTheDomainRules() {
        AssistConfig c = AssistFixtures.config();
        assertThat(c.timing().escalateToB()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.timing().escalateToSupervisor()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.timing().longPress()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.button("call-1").lampId()).isEqualTo("call-1.lamp");
        assertThat(c.button("call-1").buzzerId()).isEqualTo("call-1.buzzer");
        assertThat(c.isSupervisor("SUP1")).isTrue();
        assertThat(c.isSupervisor("S1001")).isFalse();
    }

    @Test
    void everyProblemIsToldAtOnce() {
        List<ButtonConfig> buttons = new ArrayList<>();
        buttons.add(new ButtonConfig("call-1", "", "nowhere", Wiring.of(17, 27, 22)));
        buttons.add(new ButtonConfig("call-1", "ok", "accessible", Wiring.of(17, 300, 22)));
        buttons.add(null);
        AssistConfigException e = catchThrowableOfType(AssistConfigException.class, () -> new AssistConfig(
                buttons,
                Map.of("accessible", new Post(List.of(), List.of("S2001", "S2001"))),
                List.of(),
                new Timing(Duration.ofMillis(30), Duration.ofMillis(10), Duration.ofSeconds(30), Duration.ZERO,
                        Duration.ofSeconds(-1))));
        assertThat(e.problems().lines()).containsExactlyInAnyOrder(
                "posts.accessible.aStaff: name at least one A staff member",
                "posts.accessible.bStaff[1]: S2001 is named twice",
                "buttons[0].location: say where the button is, for the staff who come",
                "buttons[0].post: no post nowhere in posts [accessible]",
                "buttons[1].id: call-1 is used twice",
                "buttons[1].wiring.buttonPin: pin 17 is already the call-1 button",
                "buttons[1].wiring.lampPin: pin must be 0..255, is 300",
                "buttons[1].wiring.buzzerPin: pin 22 is already the call-1 buzzer",
                "buttons[2]: is missing",
                "supervisors: name at least one supervisor: unanswered calls go to them",
                "timing.longPress: must be longer than debounce (30 ms), is 10 ms",
                "timing.escalateToB: must be a positive time, is PT0S",
                "timing.reminderGap: must not be negative, is PT-1S");
        assertThat(e.getMessage()).startsWith("invalid assist config: ");
    }

    @Test
    void missingPartsAreProblemsNotNullPointers() {
        AssistConfigException e = catchThrowableOfType(AssistConfigException.class,
                () -> new AssistConfig(null, null, null, null));
        assertThat(e.problems().lines()).containsExactlyInAnyOrder(
                "posts: is missing", "buttons: is missing",
                "supervisors: name at least one supervisor: unanswered calls go to them", "timing: is missing");
    }

    @Test
    void aTerminalWithoutCallButtonsNeedsNoSupervisor() {
        AssistConfig c = new AssistConfig(List.of(), Map.of(), List.of(), Timing.DEFAULT);
        assertThat(c.buttons()).isEmpty();
        assertThat(AssistConfig.check(List.of(), Map.of(), List.of(), Timing.DEFAULT).isEmpty()).isTrue();
    }
}
