package cardterm.terminal.hub;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Tells a fight over the terminal's MQTT session apart from a poor network or a restarting
 * broker: when another client connects with the same client id (a second terminal with this id:
 * a cloned SD card, a technician's test run), the broker closes this terminal's session under it,
 * and the very next connection succeeds at once. A broker that restarts or a network that fails
 * also closes sessions, but the next attempt then fails. {@value #TAKEOVERS} such take-overs
 * inside {@link #WINDOW} are taken as a fight; a session that lasts {@link #CALM} ends it. Pure:
 * fed the sessions' times.
 */
final class SessionConflict {
    /** How far back take-overs count. */
    static final Duration WINDOW = Duration.ofMinutes(10);
    /** A session that lasts this long ends a fight. */
    static final Duration CALM = Duration.ofMinutes(5);
    static final int TAKEOVERS = 3;

    private final ArrayDeque<Instant> takeovers = new ArrayDeque<>();
    private Instant pending;
    private boolean fighting;

    /**
     * A session ended at {@code end}, {@code lasted} after it began, closed under it by the peer
     * ({@code closedByPeer}) or for another reason. A close by the peer counts once the next
     * attempt shows the broker was there all along ({@link #reconnected}).
     */
    void sessionEnded(Duration lasted, Instant end, boolean closedByPeer) {
        if (lasted.compareTo(CALM) >= 0) {
            calm();
        }
        pending = closedByPeer ? end : null;
    }

    /**
     * The attempt after a session succeeded ({@code succeeded}) or not; returns whether the
     * terminal is now in a fight over its session.
     */
    boolean nextAttempt(boolean succeeded, Instant at) {
        if (pending != null && succeeded) {
            takeovers.addLast(pending);
        }
        pending = null;
        while (!takeovers.isEmpty() && takeovers.peekFirst().isBefore(at.minus(WINDOW))) {
            takeovers.removeFirst();
        }
        if (takeovers.size() >= TAKEOVERS) {
            fighting = true;
        }
        return fighting;
    }

    /** A session has lasted {@link #CALM}: no fight (any more). */
    void calm() {
        takeovers.clear();
        pending = null;
        fighting = false;
    }

    boolean fighting() {
        return fighting;
    }

    /** The take-overs inside the window, while fighting. */
    Optional<Integer> takenOver() {
        return fighting ? Optional.of(takeovers.size()) : Optional.empty();
    }
}
