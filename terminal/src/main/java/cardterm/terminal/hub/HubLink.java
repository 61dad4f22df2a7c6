package cardterm.terminal.hub;

import cardterm.devices.concurrent.ServiceThreads;

import cardterm.terminal.command.CommandDispatcher;
import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.command.CommandRequest;
import cardterm.terminal.command.CommandResult;
import cardterm.terminal.command.LogLevelCommand;
import cardterm.terminal.event.HubTime;
import cardterm.terminal.event.PersonalDataGuard;
import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthListener;
import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTracker;
import cardterm.devices.health.MonitoredDevice;
import cardterm.terminal.store.CommandLog;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal's link to the hub's MQTT broker (MQTT 3.1.1, Eclipse Paho), per hub-contract.md.
 *
 * <p>Its own reconnect loop (Paho's automatic reconnect and offline buffer stay off): each attempt
 * takes the next broker URI, uses a fresh client that is closed afterwards, and failures wait with
 * exponential back-off and full jitter. Each attempt carries a new {@code bdSeq} (stored in the
 * database, so it survives restarts) in its will ({@code {"online":false,"bdSeq":n}}, retained)
 * and in the {@code state} it publishes once connected; a clean {@link #close()} publishes the
 * offline state itself.
 *
 * <p>While connected it drains the {@link Outbox}: assist first, then issuance, device, audit;
 * within a kind in seq order; at most {@link HubSettings#inflightWindow()} unacknowledged. An
 * event is deleted only after the broker's PUBACK; after a reconnect what was not acknowledged
 * goes again (at least once: the hub drops duplicates by id). A link that stays silent is found
 * dead by MQTT keep-alive, and by a watchdog when PUBACKs stop coming.
 *
 * <p>Commands ({@code cmd/+}) are checked and run on one command thread, answered on
 * {@code reply}. Health is {@link #health()}: OK when connected, LINK_DOWN (or
 * CONFIGURATION_ERROR for refused credentials or TLS) with the reason otherwise.
 */
public final class HubLink implements MonitoredDevice, AutoCloseable {
    /** The device id of the link in health. */
    public static final String DEVICE_ID = "hub";
    /** The database counter of MQTT sessions (attempts). */
    public static final String BDSEQ_COUNTER = "hub.bdSeq";

    private static final Logger log = LoggerFactory.getLogger(HubLink.class);

    private final CommandDispatcher dispatcher;
    private final HubSettings settings;
    private final Database db;
    private final Outbox outbox;
    private final Clock clock;
    private final String version;
    private final Instant startedAt;
    private final Topics topics;
    private final SSLContext ssl;
    private final CommandLog commandLog;
    private final CommandChannel commandChannel;
    private final OutboxForwarder forwarder;
    private final HealthTracker health;
    private final SessionConflict conflict = new SessionConflict();
    private volatile String conflictMessage;
    private final FullJitterBackoff backoff;

    private final Signal signal = new Signal();
    private final Runnable onCommit = signal::raise;
    private final AtomicBoolean healthDirty = new AtomicBoolean();
    private final AtomicBoolean rebirthRequested = new AtomicBoolean();
    private final AtomicLong sessions = new AtomicLong();
    private volatile ObjectNode latestHealth;
    private volatile HubSession current;
    private volatile Status status;
    private volatile boolean running;
    private volatile long loopBeatNanos = System.nanoTime();
    private Thread linkThread;

    /**
     * What the link is doing now.
     *
     * @param connected whether a session is up
     * @param serverUri the broker of the session, or of the last attempt
     * @param reason why it is not connected (empty when connected)
     * @param since when this status began
     * @param bdSeq the bdSeq of the current or last session
     * @param sessions sessions established since start
     */
    public record Status(boolean connected, String serverUri, String reason, Instant since, long bdSeq,
            long sessions) {}

    /**
     * Makes the link; nothing connects before {@link #start()}. Reads the TLS files and the
     * command key now, so bad files are found at once. Registers the built-in commands
     * {@code rebirth} and {@code log-level} in {@code commands} unless present.
     *
     * @param version the software version for {@code state}
     * @throws HubSettings.InvalidSettings if a TLS or key file cannot be used
     */
    public HubLink(HubSettings settings, Database db, Outbox outbox, CommandRegistry commands, Clock clock,
            String version) {
        this(settings, db, outbox, commands, clock, version, null);
    }

    /**
     * A link whose commands' staff ids must be in {@code staff} (null: not checked); its
     * {@link #dispatcher()} is the one every door (hub, counter console) calls.
     */
    public HubLink(HubSettings settings, Database db, Outbox outbox, CommandRegistry commands, Clock clock,
            String version, cardterm.terminal.staff.StaffRegistry staff) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.db = Objects.requireNonNull(db, "db");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.version = Objects.requireNonNull(version, "version");
        this.startedAt = clock.instant();
        this.topics = settings.topics();
        this.backoff = settings.backoff();
        if (!outbox.settings().terminal().equals(settings.terminal())
                || !outbox.settings().site().equals(settings.site())) {
            throw new IllegalArgumentException("outbox is for " + outbox.settings().site() + "/"
                    + outbox.settings().terminal() + ", link for " + settings.site() + "/" + settings.terminal());
        }
        this.ssl = settings.usesTls() ? loadTls(settings) : null;
        byte[] key = settings.commandKeyFile() == null ? null : CommandKey.read(settings.commandKeyFile());
        if (key == null) {
            log.warn("no command key file configured: every command from the hub will be refused");
        }
        commands.registerIfAbsent("rebirth", this::rebirthCommand);
        commands.registerIfAbsent(LogLevelCommand.NAME, new LogLevelCommand());
        this.commandLog = CommandLog.open(db, clock, CommandVerifier.REPLAY_WINDOW);
        CommandDispatcher dispatcher;
        HubCommandDoor door = new HubCommandDoor(new CommandVerifier(settings.terminal(), key, clock,
                CommandVerifier.DEFAULT_MAX_REMEMBERED, RequestMemory.durable(commandLog)),
                dispatcher = new CommandDispatcher(commands, outbox, staff));
        this.dispatcher = dispatcher;
        this.commandChannel = new CommandChannel(door, commandLog, topics, signal::raise);
        this.forwarder = new OutboxForwarder(outbox, commandLog, topics, settings.inflightWindow());
        this.health = new HealthTracker(DEVICE_ID, clock);
        this.status = new Status(false, settings.uris().get(0), "not started", clock.instant(), 0, 0);
    }

    /** The dispatcher behind the hub door: the counter console calls the same one. */
    public CommandDispatcher dispatcher() {
        return dispatcher;
    }

    private static SSLContext loadTls(HubSettings s) {
        try {
            return PemTls.context(s.caFile(), s.clientCertFile(), s.clientKeyFile());
        } catch (PemTls.TlsFileException e) {
            throw new HubSettings.InvalidSettings(new cardterm.devices.check.Problems().add("tls", e.getMessage()));
        }
    }

    /** Starts connecting (in the background); returns at once. */
    public synchronized void start() {
        if (running || linkThread != null) {
            throw new IllegalStateException("the hub link was started already");
        }
        running = true;
        outbox.addCommitListener(onCommit);
        linkThread = ServiceThreads.named("hub-link").unstarted(this::runLoop);
        linkThread.start();
    }

    /**
     * Stops: publishes {@code {"online":false,"bdSeq":n}} when connected, disconnects cleanly and
     * ends the link's threads. Waits at most about 10 s.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = linkThread;
        }
        outbox.removeCommitListener(onCommit);
        signal.raise();
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                log.warn("hub link thread did not stop within 10 s");
                t.interrupt();
            }
        }
        commandChannel.close();
    }

    /**
     * When the link thread last went round its loop ({@link System#nanoTime()}): for the service
     * watchdog. A turn takes at most about a second, or a connection attempt (twice the connect
     * timeout plus a few seconds).
     */
    public long loopHeartbeatNanos() {
        return loopBeatNanos;
    }

    /** The topics of this terminal. */
    public Topics topics() {
        return topics;
    }

    public HubSettings settings() {
        return settings;
    }

    public boolean isConnected() {
        HubSession s = current;
        return s != null && s.isUp();
    }

    public Status status() {
        return status;
    }

    @Override
    public String deviceId() {
        return DEVICE_ID;
    }

    @Override
    public DeviceHealth health() {
        return health.current();
    }

    /** Told of every change: OK when connected; LINK_DOWN or CONFIGURATION_ERROR with the reason. */
    @Override
    public void addHealthListener(HealthListener listener) {
        health.addListener(listener);
    }

    /**
     * Publishes the terminal's health on {@code health} (retained, QoS 1): now if connected, and
     * again after every reconnect (the latest only). Never blocks.
     */
    public void publishHealth(ObjectNode healthDocument) {
        latestHealth = healthDocument.deepCopy();
        healthDirty.set(true);
        signal.raise();
    }

    /**
     * Publishes figures on {@code metrics} (QoS 0) if connected now; otherwise they are dropped,
     * never stored. Never blocks.
     */
    public void publishMetrics(ObjectNode metrics) {
        HubSession s = current;
        if (s == null || !s.isUp()) {
            return;
        }
        try {
            s.publish(topics.metrics(), bytes(metrics), 0, false);
        } catch (MqttException | RuntimeException e) {
            log.debug("metrics dropped: {}", e.toString());
        }
    }

    /** Asks for {@code state} and {@code health} to be published again (the {@code rebirth} command). */
    public void rebirth() {
        rebirthRequested.set(true);
        signal.raise();
    }

    private CommandResult rebirthCommand(CommandRequest request) {
        cardterm.devices.check.Problems p = new cardterm.devices.check.Problems();
        request.args().fieldNames().forEachRemaining(f -> p.add("args." + f, "unknown field (rebirth takes {})"));
        if (!p.isEmpty()) {
            return CommandResult.invalid(p);
        }
        rebirth();
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("bdSeq", status.bdSeq());
        return CommandResult.ok(result);
    }

    // ---------------------------------------------------------------- the link thread

    /** What sessions tell the link, on Paho's threads: never blocks. */
    private final HubSession.Listener sessionListener = new HubSession.Listener() {
        @Override
        public void messageArrived(HubSession session, String topic, byte[] payload, int messageId, int qos) {
            if (topic.equals(topics.health())) {
                if (isForeignHealth(payload)) {
                    session.foreignHealthSeen = true;
                }
                session.acknowledge(messageId, qos);
                return;
            }
            commandChannel.messageArrived(session, topic, payload, messageId, qos);
        }

        @Override
        public void acknowledged(HubSession session, Object context) {
            forwarder.acknowledged(session, context);
        }

        @Override
        public void inflightDropped(HubSession session, int left) {
            if (forwarder.wantsRefill(left)) {
                signal.raise();
            }
        }

        @Override
        public void sessionLost(HubSession session) {
            signal.raise();
        }
    };

    private void runLoop() {
        int failures = 0;
        int uriIndex = 0;
        try {
            while (running) {
                loopBeatNanos = System.nanoTime();
                String uri = settings.uris().get(uriIndex % settings.uris().size());
                HubSession s = null;
                String failure = null;
                HealthReason failureReason = HealthReason.LINK_DOWN;
                long bdSeq = 0;
                try {
                    bdSeq = db.incrementCounter(BDSEQ_COUNTER);
                    s = HubSession.connect(uri, bdSeq, settings, settings.inflightWindow(), ssl, sessionListener);
                } catch (MqttException e) {
                    failure = uri + ": " + describe(e);
                    if (isConfigurationProblem(e)) {
                        failureReason = HealthReason.CONFIGURATION_ERROR;
                    }
                } catch (RuntimeException e) {
                    failure = uri + ": " + describe(e);
                    log.warn("connection attempt to {} failed", uri, e);
                }
                Duration extraWait = Duration.ZERO;
                if (conflict.nextAttempt(s != null, clock.instant()) && s != null) {
                    flagConflict();
                }
                if (s != null) {
                    failures = 0;
                    Instant began = clock.instant();
                    String reason = runSession(s);
                    current = null;
                    if (!running) {
                        break;
                    }
                    setDown(HealthReason.LINK_DOWN, uri + ": " + reason, uri, bdSeq);
                    log.warn("hub link to {} down: {}", uri, reason);
                    // closed under it while another client publishes health under this id: taken over
                    conflict.sessionEnded(Duration.between(began, clock.instant()), clock.instant(),
                            reason.startsWith("connection lost") && s.foreignHealthSeen);
                    if (conflictMessage != null) {
                        extraWait = backOffFromConflict();
                    }
                } else {
                    setDown(failureReason, failure, uri, bdSeq);
                    log.info("hub link: attempt {} failed: {}", failures + 1, failure);
                    uriIndex++;
                    failures++;
                }
                if (running) {
                    Duration wait = backoff.delay(Math.max(0, failures - 1), ThreadLocalRandom.current())
                            .plus(extraWait);
                    long until = System.nanoTime() + wait.toNanos();
                    while (running && System.nanoTime() < until) {
                        loopBeatNanos = System.nanoTime();
                        signal.await(Math.min(until - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
                    }
                }
            }
        } finally {
            current = null;
            log.info("hub link stopped");
        }
    }

    /** Runs a connected session until it is lost or the link stops; returns why it ended. */
    /**
     * The broker keeps closing this terminal's session under it while it is reachable: most
     * likely another client with the same id. Says so (health, log); the link then backs off
     * rather than fighting ({@link #backOffFromConflict}).
     */
    private void flagConflict() {
        String message = "the broker closed this terminal's session " + conflict.takenOver().orElse(0)
                + " times within " + SessionConflict.WINDOW.toMinutes() + " min while it was reachable: another "
                + "terminal with the same id " + settings.site() + "/" + settings.terminal()
                + " is probably connected (a cloned SD card, a test run?)";
        if (conflictMessage == null) {
            log.warn("hub link: {}; backing off", message);
        }
        conflictMessage = message;
        health.set(HealthReason.SESSION_TAKEN_OVER, message);
    }

    /** How much longer to wait before the next attempt while fighting: 30 to 60 s. */
    private static Duration backOffFromConflict() {
        return Duration.ofSeconds(30).plusMillis(ThreadLocalRandom.current().nextLong(30_000));
    }

    /** The last health documents this process published (to tell them from another client's). */
    private final ArrayDeque<byte[]> healthSent = new ArrayDeque<>();

    private void rememberHealthSent(byte[] doc) {
        synchronized (healthSent) {
            if (healthSent.size() >= 8) {
                healthSent.pollFirst();
            }
            healthSent.addLast(doc);
        }
    }

    /**
     * A health document on this terminal's topic that this process did not publish, once it has
     * published one (before that, the retained one may be its own previous run's).
     */
    private boolean isForeignHealth(byte[] payload) {
        synchronized (healthSent) {
            if (healthSent.isEmpty() || payload.length == 0) {
                return false;
            }
            for (byte[] mine : healthSent) {
                if (java.util.Arrays.equals(mine, payload)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Why the terminal thinks another one uses its id (its session keeps being taken over), or
     * empty when it does not.
     */
    public java.util.Optional<String> sessionConflict() {
        return java.util.Optional.ofNullable(conflictMessage);
    }

    private String runSession(HubSession s) {
        current = s;
        long n = sessions.incrementAndGet();
        status = new Status(true, s.uri, "", clock.instant(), s.bdSeq, n);
        Instant began = clock.instant();
        if (conflictMessage == null) {
            health.online();
        } else {
            health.set(HealthReason.SESSION_TAKEN_OVER, conflictMessage);
        }
        log.info("hub link connected to {} (bdSeq {})", s.uri, s.bdSeq);
        try {
            forwarder.startSession(s);
            publishState(s);
            healthDirty.set(true);
            // a backstop behind MQTT keep-alive (which finds a silent link after about two
            // keep-alives): PUBACKs that stop coming while events are in flight
            long stallNanos = Math.max(3 * settings.keepAlive().toNanos(), Duration.ofSeconds(5).toNanos());
            while (running && s.isUp()) {
                loopBeatNanos = System.nanoTime();
                if (conflictMessage != null
                        && Duration.between(began, clock.instant()).compareTo(SessionConflict.CALM) >= 0) {
                    conflict.calm();
                    conflictMessage = null;
                    health.online();
                    log.info("hub link: the session has held for {} min: no other terminal with this id now",
                            SessionConflict.CALM.toMinutes());
                }
                if (rebirthRequested.getAndSet(false)) {
                    publishState(s);
                    healthDirty.set(true);
                }
                if (healthDirty.getAndSet(false)) {
                    ObjectNode h = latestHealth;
                    if (h != null) {
                        byte[] doc = bytes(h);
                        rememberHealthSent(doc);
                        s.publish(topics.health(), doc, 1, true);
                    }
                }
                    forwarder.fill();
                if (s.inflight.get() > 0 && System.nanoTime() - s.lastProgressNanos > stallNanos) {
                    s.lose("no acknowledgement from the broker for " + Duration.ofNanos(stallNanos).toSeconds()
                            + " s");
                    break;
                }
                signal.await(Math.min(stallNanos / 4, TimeUnit.SECONDS.toNanos(1)));
            }
        } catch (MqttException e) {
            s.lose(describe(e));
        } catch (RuntimeException e) {
            log.error("hub link session failed", e);
            s.lose(describe(e));
        }
        if (!running && s.isUp()) {
            s.goOffline(topics);
            return "stopped";
        }
        log.debug("session {} ended: {}", s.bdSeq, s.lost());
        s.close();
        log.debug("session {} client closed", s.bdSeq);
        return s.isUp() ? "stopped" : s.lost();
    }

    private void publishState(HubSession s) throws MqttException {
        ObjectNode st = JsonNodeFactory.instance.objectNode();
        st.put("online", true);
        st.put("bdSeq", s.bdSeq);
        st.put("ts", HubTime.format(HubTime.now(clock)));
        st.put("version", version);
        st.put("startedAt", HubTime.format(OffsetDateTime.ofInstant(startedAt, clock.getZone())
                .truncatedTo(ChronoUnit.MILLIS)));
        s.publish(topics.state(), bytes(st), 1, true);
    }

    private void setDown(HealthReason reason, String message, String uri, long bdSeq) {
        status = new Status(false, uri, message, clock.instant(), bdSeq, sessions.get());
        health.set(reason, message);
    }

    // ---------------------------------------------------------------- commands and replies

    // ---------------------------------------------------------------- helpers

    static byte[] bytes(ObjectNode n) {
        return cardterm.terminal.event.SafeText.jsonUtf8(PersonalDataGuard.mask(n).toString()); // no lone surrogate becomes '?'
    }

    private static boolean isConfigurationProblem(MqttException e) {
        int code = e.getReasonCode();
        if (code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || code == MqttException.REASON_CODE_NOT_AUTHORIZED
                || code == MqttException.REASON_CODE_INVALID_CLIENT_ID
                || code == MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder();
        if (t instanceof MqttException m) {
            sb.append(m.getMessage() == null ? "MQTT error" : m.getMessage()).append(" (").append(m.getReasonCode())
                    .append(')');
        } else {
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        Throwable root = t.getCause();
        if (root != null && root != t) {
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            sb.append("; ").append(root.getClass().getSimpleName());
            if (root.getMessage() != null) {
                sb.append(": ").append(root.getMessage());
            }
        }
        return sb.toString();
    }
}
