package cardterm.terminal.assist;

import cardterm.terminal.assist.AssistConfig.ButtonConfig;
import cardterm.terminal.assist.AssistConfig.Post;
import cardterm.terminal.assist.AssistConfig.Timing;
import cardterm.terminal.assist.AssistConfig.Wiring;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A small hall: two call points answered by the accessible-counter post. */
final class AssistFixtures {
    static final String LOCATION_1 = "无障碍窗口 3号";
    static final String LOCATION_2 = "waiting seats, row 2";

    private AssistFixtures() {
    }

    static AssistConfig config() {
        return config(Timing.DEFAULT);
    }

    static AssistConfig config(Timing timing) {
        return new AssistConfig(
                List.of(new ButtonConfig("call-1", LOCATION_1, "accessible", Wiring.of(17, 27, 22)),
                        new ButtonConfig("call-2", LOCATION_2, "accessible", Wiring.of(5, 6, 13))),
                Map.of("accessible", new Post(List.of("S1001", "S1002"), List.of("S2001"))),
                List.of("SUP1"),
                timing);
    }

    /** Default times with another debounce. */
    static Timing debounce(Duration debounce) {
        Timing d = Timing.DEFAULT;
        return new Timing(debounce, d.longPress(), d.stuckAfter(), d.escalateToB(), d.reminderGap());
    }
}
