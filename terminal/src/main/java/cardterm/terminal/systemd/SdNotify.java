package cardterm.terminal.systemd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of systemd's notify protocol ({@code sd_notify(3)}): {@code READY=1},
 * {@code WATCHDOG=1}, {@code STOPPING=1} and {@code STATUS=...} as datagrams to
 * {@code $NOTIFY_SOCKET}, sent from the service's own (main) process so that
 * {@code NotifyAccess=main} accepts them. Outside systemd ({@code NOTIFY_SOCKET} unset) every call
 * does nothing. Never throws: a message that cannot be sent is logged (once per kind of failure).
 */
public final class SdNotify implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SdNotify.class);

    private final String socket;
    private final Optional<Duration> watchdogInterval;
    private final UnixDatagramSender sender;
    private final String unavailable;
    private volatile String lastFailure;

    private SdNotify(String socket, Optional<Duration> watchdogInterval, UnixDatagramSender sender,
            String unavailable) {
        this.socket = socket;
        this.watchdogInterval = watchdogInterval;
        this.sender = sender;
        this.unavailable = unavailable;
    }

    /** From the process environment. */
    public static SdNotify fromEnvironment() {
        return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * From an environment: {@code NOTIFY_SOCKET} (where to send), {@code WATCHDOG_USEC} and
     * {@code WATCHDOG_PID} (the watchdog period, if it is meant for process {@code pid}).
     */
    public static SdNotify fromEnvironment(Map<String, String> env, long pid) {
        String socket = env.get("NOTIFY_SOCKET");
        Optional<Duration> watchdog = watchdogPeriod(env, pid);
        if (socket == null || socket.isBlank()) {
            return new SdNotify(null, watchdog, null, null);
        }
        try {
            return new SdNotify(socket, watchdog, UnixDatagramSender.open(), null);
        } catch (UnixDatagramSender.Unavailable e) {
            log.error("systemd expects notifications on {} but they cannot be sent: {}; the service will not be "
                    + "reported ready and its watchdog will not be fed", socket, e.getMessage());
            return new SdNotify(socket, watchdog, null, e.getMessage());
        }
    }

    /** The watchdog period systemd asks for ({@code WATCHDOG_USEC}), if it is meant for {@code pid}. */
    static Optional<Duration> watchdogPeriod(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isBlank()) {
            return Optional.empty();
        }
        String forPid = env.get("WATCHDOG_PID");
        try {
            if (forPid != null && !forPid.isBlank() && Long.parseLong(forPid.trim()) != pid) {
                return Optional.empty();
            }
            long us = Long.parseLong(usec.trim());
            return us > 0 ? Optional.of(Duration.ofNanos(us * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            log.warn("WATCHDOG_USEC/WATCHDOG_PID not numbers ({}/{}): no watchdog", usec, forPid);
            return Optional.empty();
        }
    }

    /** Whether systemd listens ({@code NOTIFY_SOCKET} set) and messages can be sent to it. */
    public boolean enabled() {
        return sender != null;
    }

    /** Why notifications cannot be sent although systemd expects them; empty when they can or are not expected. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }

    /** The watchdog period systemd asks for; empty when it has no watchdog for this process. */
    public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    /** The service is up: systemd may start what waits for it. */
    public boolean ready(String status) {
        return send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** Feeds the watchdog. */
    public boolean watchdog() {
        return send("WATCHDOG=1");
    }

    /** Tells systemd why the service is about to hang (it then restarts it at once). */
    public boolean watchdogTrigger(String status) {
        return send("WATCHDOG=trigger\nSTATUS=" + oneLine(status));
    }

    /** The service is stopping. */
    public boolean stopping(String status) {
        return send("STOPPING=1\nSTATUS=" + oneLine(status));
    }

    /** A status line for {@code systemctl status}. */
    public boolean status(String status) {
        return send("STATUS=" + oneLine(status));
    }

    private static String oneLine(String s) {
        String t = Objects.requireNonNullElse(s, "").replaceAll("[\\r\\n]+", " ");
        return t.length() > 200 ? t.substring(0, 200) : t;
    }

    /** Sends one notification; false when it was not sent (not under systemd, or it failed). */
    public boolean send(String message) {
        if (sender == null) {
            return false;
        }
        try {
            sender.send(socket, message.getBytes(StandardCharsets.UTF_8));
            lastFailure = null;
            return true;
        } catch (UnixDatagramSender.SendFailed e) {
            String m = e.getMessage();
            if (!m.equals(lastFailure)) {
                log.warn("systemd notification not sent: {}", m);
                lastFailure = m;
            }
            return false;
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
    }
}
