package cardterm.bridge.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cardterm.bridge.testing.SocatPty;
import cardterm.bridge.transport.PipeTransport;
import cardterm.bridge.transport.SerialTransport;
import cardterm.bridge.transport.Transport;
import cardterm.bridge.transport.TransportOpener;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LinkTest {
    private final List<LinkState> seen = new CopyOnWriteArrayList<>();

    @Test
    void backoffDoublesUpToItsCap() {
        DoublingBackoff b = new DoublingBackoff(Duration.ofMillis(100), Duration.ofMillis(700));
        assertThat(b.delay(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(700));
        assertThat(b.delay(1000)).isEqualTo(Duration.ofMillis(700));
        assertThatThrownBy(() -> new DoublingBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retriesUntilTheOpenerWorksThenReportsUpAndReconnectsAfterALoss() {
        AtomicInteger calls = new AtomicInteger();
        List<PipeTransport.Pair> pairs = new CopyOnWriteArrayList<>();
        TransportOpener opener = new TransportOpener() {
            @Override
            public Transport open() throws IOException {
                if (calls.incrementAndGet() <= 2) {
                    throw new IOException("port absent");
                }
                PipeTransport.Pair p = PipeTransport.pair();
                pairs.add(p);
                return p.host();
            }

            @Override
            public String describe() {
                return "test";
            }
        };
        try (Link link = Link.create("printer", opener, new DoublingBackoff(Duration.ofMillis(10), Duration.ofMillis(40)),
                Duration.ofMillis(20))) {
            link.addListener((name, state) -> seen.add(state));
            assertThatThrownBy(link::transport).isInstanceOf(LinkDownException.class);
            link.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> link.state().isUp());
            assertThat(link.generation()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(new LinkState.Up("pipe:printer/host", 1)));
            assertThat(seen).startsWith(new LinkState.Down("port absent"));

            pairs.get(0).cut(); // seen by the periodic check, not by a user
            await().atMost(Duration.ofSeconds(5)).until(() -> link.generation() == 2 && link.state().isUp());
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
            assertThat(seen).containsExactly(new LinkState.Down("port absent"), new LinkState.Up("pipe:printer/host", 1),
                    new LinkState.Down("device removed or closed"), new LinkState.Up("pipe:printer/host", 2));
        }
        assertThat(seen).last().isEqualTo(new LinkState.Down("closed"));
    }

    @Test
    void untilItsFirstAttemptEndsTheLinkHasNotTriedSoDownMeansNotYet() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        TransportOpener slow = new TransportOpener() {
            @Override
            public Transport open() throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("no such device");
            }

            @Override
            public String describe() {
                return "slow";
            }
        };
        try (Link link = Link.create("printer", slow)) {
            assertThat(link.hasTried()).isFalse();
            link.start();
            assertThat(link.hasTried()).isFalse(); // the first open is still under way
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(link::hasTried);
            assertThat(link.state()).isInstanceOf(LinkState.Down.class);
        }
    }

    @Test
    void userReportedLossGoesDownWithItsReason() throws Exception {
        PipeTransport.Pair p = PipeTransport.pair();
        try (Link link = Link.create("printer", TransportOpener.once(p.host()))) {
            link.addListener((n, s) -> seen.add(s));
            link.start();
            assertThat(link.awaitUp(Duration.ofSeconds(5))).isTrue();
            Transport t = link.transport();
            link.lost(t, "read error");
            assertThat(link.state().isUp()).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(new LinkState.Down("read error")));
            assertThat(t.isOpen()).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> link.state() instanceof LinkState.Down d
                    && d.reason().contains("cannot be reopened")); // a one-shot opener cannot reopen
            link.lost(t, "again"); // stale report: ignored
            assertThat(link.state()).isNotEqualTo(new LinkState.Down("again"));
            assertThat(link.generation()).isEqualTo(1);
        }
    }

    @Test
    void serialCablePullAndBackOverSocat() {
        try (SocatPty pty = SocatPty.start();
             Link link = Link.create("printer", SerialTransport.opener(pty.hostPath(), 115_200, Duration.ofSeconds(2)),
                     new DoublingBackoff(Duration.ofMillis(20), Duration.ofMillis(100)), Duration.ofMillis(50))) {
            link.addListener((n, s) -> seen.add(s));
            link.start();
            assertThat(link.awaitUp(Duration.ofSeconds(5))).isTrue();
            pty.kill();
            await().atMost(Duration.ofSeconds(5)).until(() -> !link.state().isUp());
            pty.restart();
            await().atMost(Duration.ofSeconds(5)).until(() -> link.state().isUp() && link.generation() == 2);
            assertThat(seen).filteredOn(LinkState::isUp).hasSize(2);
            assertThat(seen).filteredOn(s -> !s.isUp()).isNotEmpty();
        }
    }
}
