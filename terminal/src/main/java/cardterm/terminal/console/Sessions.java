package cardterm.terminal.console;

import cardterm.terminal.staff.PinHash;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffMember;
import cardterm.terminal.staff.StaffRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in staff at the counter console: sign-in by staff id and PIN, sessions that end after an
 * idle time, one CSRF token per session, and the lock: {@link #MAX_FAILURES} wrong PINs in a row
 * lock that id for {@link #LOCK_TIME} (an unknown id counts the same, so the answer tells nobody
 * which ids exist). Thread-safe.
 */
final class Sessions {
    static final int MAX_FAILURES = 5;
    static final Duration LOCK_TIME = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One signed-in staff member. */
    static final class Session {
        final String id;
        final String csrf;
        final StaffMember staff;
        volatile Instant lastSeen;

        Session(String id, String csrf, StaffMember staff, Instant now) {
            this.id = id;
            this.csrf = csrf;
            this.staff = staff;
            this.lastSeen = now;
        }

        Role role() {
            return staff.role();
        }
    }

    /** What a sign-in came to. */
    sealed interface SignIn {
        record Ok(Session session) implements SignIn {}

        /** Wrong id or PIN; {@code locked} when this failure locked the id. */
        record Wrong(int left, boolean locked) implements SignIn {}

        record Locked(Instant until) implements SignIn {}

        /** The right PIN, but a role this door does not admit: no session. */
        record Refused(StaffMember staff) implements SignIn {}
    }

    private record Failures(int count, Instant lockedUntil) {}

    private final StaffRegistry staff;
    private final Duration idle;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    Sessions(StaffRegistry staff, Duration idle, Clock clock) {
        this.staff = Objects.requireNonNull(staff, "staff");
        this.idle = Objects.requireNonNull(idle, "idle");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    SignIn signIn(String staffId, char[] pin) {
        return signIn(staffId, pin, java.util.EnumSet.allOf(Role.class));
    }

    /** Signs in a member of a role in {@code admitted}. */
    SignIn signIn(String staffId, char[] pin, java.util.Set<Role> admitted) {
        Instant now = clock.instant();
        String key = staffId == null ? "" : staffId;
        synchronized (failures) {
            Failures f = failures.get(key);
            if (f != null && f.lockedUntil() != null) {
                if (now.isBefore(f.lockedUntil())) {
                    return new SignIn.Locked(f.lockedUntil());
                }
                failures.remove(key);
            }
        }
        Optional<StaffMember> m = staff.member(staffId);
        boolean ok = m.isPresent() && PinHash.matches(pin, m.get().pinHash());
        synchronized (failures) {
            if (!ok) {
                Failures f = failures.getOrDefault(key, new Failures(0, null));
                int count = f.count() + 1;
                boolean locks = count >= MAX_FAILURES;
                failures.put(key, new Failures(locks ? 0 : count, locks ? now.plus(LOCK_TIME) : null));
                return new SignIn.Wrong(locks ? 0 : MAX_FAILURES - count, locks);
            }
            failures.remove(key);
        }
        if (!admitted.contains(m.get().role())) {
            return new SignIn.Refused(m.get());
        }
        Session s = new Session(token(), token(), m.get(), now);
        sessions.put(s.id, s);
        return new SignIn.Ok(s);
    }

    /** The live session of this cookie value (its idle time restarts), or empty. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(s.lastSeen.plus(idle))) {
            sessions.remove(id);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    /** Whether {@code s} is still signed in and not idle too long (without counting as activity). */
    boolean isLive(Session s) {
        return sessions.get(s.id) == s && clock.instant().isBefore(s.lastSeen.plus(idle));
    }

    void signOut(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
