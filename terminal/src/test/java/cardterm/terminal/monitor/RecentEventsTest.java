package cardterm.terminal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One terminal's events kept while watched: subscribed once, let go by the last watcher, bounded, nothing personal. */
class RecentEventsTest {
    final List<String> calls = new ArrayList<>();
    final RecentEvents recent = new RecentEvents(new RecentEvents.Subscriber() {
        @Override
        public void subscribe(String filter) {
            calls.add("+" + filter);
        }

        @Override
        public void unsubscribe(String filter) {
            calls.add("-" + filter);
        }
    });

    static byte[] event(long seq, String data) {
        return ("{\"id\":\"x" + seq + "\",\"seq\":" + seq + ",\"ts\":\"2026-11-26T10:15:30.123+08:00\","
                + "\"type\":\"issuance.completed\",\"terminal\":\"t-1\",\"site\":\"s-1\",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void subscribedOnceForTwoPagesAndLetGoByTheLast() {
        RecentEvents.Watch a = recent.watch("s-1", "t-1").orElseThrow();
        RecentEvents.Watch b = recent.watch("s-1", "t-1").orElseThrow();
        assertThat(calls).containsExactly("+cardterm/v1/s-1/t-1/event/#");
        a.close();
        assertThat(recent.watched()).isEqualTo(1);
        b.close();
        assertThat(calls).containsExactly("+cardterm/v1/s-1/t-1/event/#", "-cardterm/v1/s-1/t-1/event/#");
        assertThat(recent.watched()).isZero();
        recent.accept("cardterm/v1/s-1/t-1/event/issuance", event(1, "{}"));
        assertThat(recent.events("s-1", "t-1")).as("nothing kept for a terminal nobody watches").isEmpty();
    }

    @Test
    void keepsTheLastFiftyNewestFirstAndOnlyFieldsWithoutPersonalData() {
        recent.watch("s-1", "t-1").orElseThrow();
        for (int i = 1; i <= 60; i++) {
            recent.accept("cardterm/v1/s-1/t-1/event/issuance", event(i,
                    "{\"jobId\":\"J-" + i + "\",\"name\":\"张三\",\"idNumber\":\"110101199003071234\",\"staffId\":\"S1\"}"));
        }
        recent.accept("cardterm/v1/s-1/t-2/event/issuance", event(99, "{}"));
        List<RecentEvents.Event> evs = recent.events("s-1", "t-1");
        assertThat(evs).hasSize(RecentEvents.KEEP);
        assertThat(evs.get(0).seq()).isEqualTo(60);
        assertThat(evs.get(49).seq()).isEqualTo(11);
        assertThat(evs.get(0).summary()).isEqualTo("jobId=J-60, staffId=S1");
        assertThat(evs.get(0).type()).isEqualTo("issuance.completed");
        assertThat(evs.get(0).at()).isPresent();
        assertThat(recent.events("s-1", "t-2")).isEmpty();
    }

    @Test
    void atMostSixtyFourTerminalsAtOnce() {
        for (int i = 0; i < RecentEvents.MAX_WATCHED; i++) {
            assertThat(recent.watch("s-1", "t-" + i)).isPresent();
        }
        assertThat(recent.watch("s-1", "t-x")).isEqualTo(Optional.empty());
        assertThat(recent.watch("s-1", "t-0")).as("one already watched can be watched again").isPresent();
    }
}
