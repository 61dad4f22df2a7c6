package cardterm.terminal.hub;

import cardterm.terminal.event.EventKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HubSettingsTest {
    @Test
    void defaultsAndDerivedValues() {
        HubSettings s = HubSettings.builder("wz-lucheng-01", "t-0042").uri("tcp://hub:1883").build();
        assertThat(s.clientId()).isEqualTo("cardterm-t-0042");
        assertThat(s.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.inflightWindow()).isEqualTo(100);
        assertThat(s.usesTls()).isFalse();
        assertThat(s.topics().event(EventKind.ASSIST)).isEqualTo("cardterm/v1/wz-lucheng-01/t-0042/event/assist");
        HubSettings withPassword = s.toBuilder().credentials("u", "secret").build();
        assertThat(withPassword.toString()).doesNotContain("secret");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> HubSettings.builder("Site!", "").uris(List.of("http://x", "tcp://nohost"))
                .keepAlive(Duration.ofMillis(1500)).inflightWindow(0).backoff(Duration.ofSeconds(5), Duration.ofSeconds(1))
                .tls(Path.of("ca.pem"), Path.of("c.pem"), null).credentials(null, "pw").build())
                .isInstanceOfSatisfying(HubSettings.InvalidSettings.class, e -> assertThat(e.problems().lines())
                        .hasSize(9).anyMatch(l -> l.startsWith("uris[0]")).anyMatch(l -> l.startsWith("uris[1]"))
                        .anyMatch(l -> l.startsWith("site")).anyMatch(l -> l.startsWith("terminal"))
                        .anyMatch(l -> l.startsWith("keepAlive"))
                        .anyMatch(l -> l.startsWith("backoffMax")).anyMatch(l -> l.startsWith("inflightWindow"))
                        .anyMatch(l -> l.startsWith("clientKeyFile")).anyMatch(l -> l.startsWith("username")));
    }

    @Test
    void backoffGrowsExponentiallyWithFullJitterUpToTheCap() {
        FullJitterBackoff b = new FullJitterBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        assertThat(b.ceiling(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.ceiling(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.ceiling(6)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.ceiling(1_000_000)).isEqualTo(Duration.ofSeconds(5));
        SplittableRandom random = new SplittableRandom(7);
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long d = b.delay(10, random).toMillis();
            max = Math.max(max, d);
            min = Math.min(min, d);
        }
        assertThat(max).isLessThanOrEqualTo(5000).isGreaterThan(4900);
        assertThat(min).isLessThan(100); // full jitter: anywhere from 0
    }

    @Test
    void topicsKnowCommandNames() {
        Topics t = new Topics("s", "t-1");
        assertThat(t.commandName("cardterm/v1/s/t-1/cmd/issue")).contains("issue");
        assertThat(t.commandName("cardterm/v1/s/t-2/cmd/issue")).isEmpty();
        assertThat(t.commandName("cardterm/v1/s/t-1/cmd/")).isEmpty();
        assertThat(t.commandName("cardterm/v1/s/t-1/cmd/a/b")).isEmpty();
        assertThat(t.commandFilter()).isEqualTo("cardterm/v1/s/t-1/cmd/+");
    }
}
