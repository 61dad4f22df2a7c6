package cardterm.terminal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionConflictTest {
    final Instant t0 = Instant.parse("2026-12-03T02:00:00Z");

    /** A session of {@code lasted} closed at {@code end}, then the next attempt. */
    static boolean round(SessionConflict c, Instant end, Duration lasted, boolean closedByPeer, boolean next) {
        c.sessionEnded(lasted, end, closedByPeer);
        return c.nextAttempt(next, end.plusMillis(200));
    }

    @Test
    void threeSessionsClosedUnderItWhileTheBrokerIsThereAreAFight() {
        SessionConflict c = new SessionConflict();
        assertThat(round(c, t0, Duration.ofSeconds(40), true, true)).isFalse();
        assertThat(round(c, t0.plusSeconds(5), Duration.ofSeconds(2), true, true)).isFalse();
        assertThat(round(c, t0.plusSeconds(50), Duration.ofSeconds(40), true, true)).isTrue();
        assertThat(c.takenOver()).contains(3);
    }

    @Test
    void aRestartingBrokerOrAPoorNetworkIsNoFight() {
        SessionConflict c = new SessionConflict();
        for (int i = 0; i < 10; i++) {
            Instant t = t0.plusSeconds(20L * i);
            // closed by the peer, but the broker was gone: the next attempt failed
            assertThat(round(c, t, Duration.ofSeconds(3), true, false)).isFalse();
            // lost for another reason (keep-alive, no acknowledgement)
            assertThat(round(c, t.plusSeconds(10), Duration.ofSeconds(3), false, true)).isFalse();
        }
        // take-overs spread wider than the window
        SessionConflict spread = new SessionConflict();
        for (int i = 0; i < 10; i++) {
            Instant t = t0.plus(SessionConflict.WINDOW.dividedBy(2).multipliedBy(i));
            assertThat(round(spread, t, Duration.ofSeconds(1), true, true)).isFalse();
        }
    }

    @Test
    void aSessionThatHoldsEndsTheFight() {
        SessionConflict c = new SessionConflict();
        for (int i = 0; i < 3; i++) {
            round(c, t0.plusSeconds(i * 5L), Duration.ofSeconds(1), true, true);
        }
        assertThat(c.fighting()).isTrue();
        c.sessionEnded(SessionConflict.CALM, t0.plusSeconds(400), true);
        assertThat(c.fighting()).isFalse();
        assertThat(c.takenOver()).isEmpty();
    }
}
