package cardterm.terminal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fleet view as a pure function of the messages fed in. */
class FleetViewTest {
    static final Instant NOW = Instant.parse("2026-11-26T02:15:30Z");
    static final String ROOT = "cardterm/v1/wz-lucheng-01/t-0042/";

    final FleetView view = new FleetView(Duration.ofMinutes(5));

    void feed(String suffix, String json) {
        assertThat(view.accept(ROOT + suffix, json.getBytes(StandardCharsets.UTF_8), NOW)).isTrue();
    }

    static String health(String printerState, String printerReason, long backlog, Long oldestAgeMs, String ribbon) {
        return """
                {"ts":"2026-11-26T10:15:00+08:00","status":"%s","devices":{
                  "printer":{"state":"%s","reason":"%s","message":"m","since":"2026-11-26T10:00:00+08:00"},
                  "reader.card":{"state":"ONLINE","reason":"OK","message":"","since":"2026-11-26T08:00:00+08:00"}},
                 "supplies":[{"device":"printer","supply":"ribbon","level":"%s","left":42}],
                 "outbox":{"backlog":%d,"oldestAgeMs":%s},
                 "system":{"uptimeMs":1},"broker":{"connected":true,"since":"2026-11-26T08:00:00+08:00","reconnects":0}}
                """.formatted(printerState.equals("ONLINE") ? "ONLINE" : "DEGRADED", printerState, printerReason,
                ribbon, backlog, oldestAgeMs == null ? "null" : oldestAgeMs.toString());
    }

    TerminalView only() {
        List<TerminalView> ts = view.terminals(Optional.empty());
        assertThat(ts).hasSize(1);
        return ts.get(0);
    }

    @Test
    void aHealthyTerminalHasNoProblems() {
        feed("state", "{\"online\":true,\"bdSeq\":7,\"ts\":\"2026-11-26T08:00:05+08:00\",\"version\":\"0.1.0\","
                + "\"startedAt\":\"2026-11-26T08:00:00+08:00\"}");
        feed("health", health("ONLINE", "OK", 0, null, "ok"));
        TerminalView t = only();
        assertThat(t.problems()).isEmpty();
        assertThat(t.online()).contains(true);
        assertThat(t.since()).contains(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(t.version()).isEqualTo("0.1.0");
        assertThat(t.devices()).containsKeys("printer", "reader.card");
        assertThat(FleetTable.text(view.terminals(Optional.empty()), NOW, ZoneOffset.ofHours(8), false).get(1))
                .doesNotStartWith("!!").contains("online since 11-26 08:00:00 (2h)").contains("ribbon ok 42");
    }

    @Test
    void aStaleWillOfAnEarlierSessionIsIgnored() {
        feed("state", "{\"online\":true,\"bdSeq\":8,\"ts\":\"2026-11-26T08:00:05+08:00\",\"version\":\"0.1.0\","
                + "\"startedAt\":\"2026-11-26T08:00:00+08:00\"}");
        feed("state", "{\"online\":false,\"bdSeq\":7}");
        assertThat(only().online()).contains(true);
        feed("state", "{\"online\":false,\"bdSeq\":8}");
        TerminalView t = only();
        assertThat(t.online()).contains(false);
        assertThat(t.since()).contains(NOW); // a will has no ts: when it arrived
        assertThat(t.problems()).containsExactly("OFFLINE");
    }

    @Test
    void devicesSuppliesAndAnOldBacklogAreProblems() {
        feed("state", "{\"online\":true,\"bdSeq\":1,\"ts\":\"2026-11-26T08:00:05+08:00\",\"version\":\"0.1.0\","
                + "\"startedAt\":\"2026-11-26T08:00:00+08:00\"}");
        feed("health", health("DEGRADED", "COVER_OPEN", 12, 600_000L, "low"));
        feed("event/issuance", "{\"type\":\"issuance.completed\",\"ts\":\"2026-11-26T10:14:00+08:00\"}");
        TerminalView t = only();
        assertThat(t.problems()).containsExactly("printer DEGRADED/COVER_OPEN (m)", "ribbon low",
                "backlog 12 waiting 10 min");
        assertThat(t.lastEvent()).map(TerminalView.LastEvent::type).contains("issuance.completed");
        String row = FleetTable.text(view.terminals(Optional.empty()), NOW, ZoneOffset.ofHours(8), false).get(1);
        assertThat(row).startsWith("!!").contains("1/2 online, printer DEGRADED/COVER_OPEN").contains("12 (10m)")
                .contains("issuance.completed 11-26 10:14:00");
        assertThat(FleetTable.json(view.terminals(Optional.empty()), NOW).path("terminals").get(0).path("ok")
                .asBoolean()).isFalse();
    }

    @Test
    void foreignTopicsAndBrokenPayloadsAreIgnored() {
        assertThat(view.accept("other/topic", "{}".getBytes(StandardCharsets.UTF_8), NOW)).isFalse();
        assertThat(view.accept(ROOT + "state", "not json".getBytes(StandardCharsets.UTF_8), NOW)).isFalse();
        assertThat(view.accept(ROOT + "cmd/issue", "{}".getBytes(StandardCharsets.UTF_8), NOW)).isFalse();
        assertThat(view.size()).isZero();
        feed("health", health("ONLINE", "OK", 0, null, "ok"));
        assertThat(only().problems()).containsExactly("no state published");
    }
}
