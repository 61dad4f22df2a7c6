package cardterm.terminal.hub;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Tells a fight over the terminal's MQTT session apart from a poor network: when another client
 * connects with the same client id (a second terminal with the same id: a cloned SD card, a
 * technician's test run), the broker ends this terminal's session just after it began, again and
 * again, while every new connection succeeds at once. {@value #SHORT_SESSIONS} sessions lost within
 * {@link #SHORT} of their start, inside {@link #WINDOW}, are taken as such a fight; a session that
 * lasts {@link #CALM} ends it. Pure: fed the sessions' times.
 */
final class SessionConflict {
    /** Sessions ending sooner than this after they began count as taken over. */
    static final Duration SHORT = Duration.ofSeconds(15);
    /** How far back such sessions count. */
    static final Duration WINDOW = Duration.ofMinutes(3);
    /** A session that lasts this long ends a fight. */
    static final Duration CALM = Duration.ofMinutes(2);
    static final int SHORT_SESSIONS = 3;

    private final ArrayDeque<Instant> shortEnds = new ArrayDeque<>();
    private boolean fighting;

    /**
     * One session ended: it began at {@code start} and was lost at {@code end}, because the
     * connection was closed under it ({@code closedByPeer}) or for another reason. Returns whether
     * the terminal is now in a fight over its session.
     */
    boolean sessionEnded(Instant start, Instant end, boolean closedByPeer) {
        Duration lasted = Duration.between(start, end);
        if (lasted.compareTo(CALM) >= 0) {
            shortEnds.clear();
            fighting = false;
        }
        if (closedByPeer && lasted.compareTo(SHORT) < 0) {
            shortEnds.addLast(end);
        }
        while (!shortEnds.isEmpty() && shortEnds.peekFirst().isBefore(end.minus(WINDOW))) {
            shortEnds.removeFirst();
        }
        if (shortEnds.size() >= SHORT_SESSIONS) {
            fighting = true;
        }
        return fighting;
    }

    /** A session has lasted {@link #CALM}: no fight (any more). */
    void calm() {
        shortEnds.clear();
        fighting = false;
    }

    boolean fighting() {
        return fighting;
    }

    /** The sessions taken over inside the window, while fighting. */
    Optional<Integer> takenOver() {
        return fighting ? Optional.of(shortEnds.size()) : Optional.empty();
    }
}
