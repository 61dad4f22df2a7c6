package cardterm.terminal.hub;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthListener;
import cardterm.devices.health.HealthReason;
import cardterm.devices.health.HealthTracker;
import cardterm.devices.health.MonitoredDevice;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxEntry;
import cardterm.terminal.store.OutboxPage;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
    private static final EventKind[] KINDS = EventKind.values();
    private static final int PAGE = 256;
    private static final int ACK_SLACK = 4;
    private static final int EXTRA_INFLIGHT = 64; // room for state, health, replies beyond the event window
    private static final int MAX_PENDING_REPLIES = 256;
    private static final int COMMAND_QUEUE = 32;
    private static final Duration OFFLINE_PUBLISH_WAIT = Duration.ofSeconds(3);

    private final HubSettings settings;
    private final Database db;
    private final Outbox outbox;
    private final Clock clock;
    private final String version;
    private final Instant startedAt;
    private final Topics topics;
    private final SSLContext ssl;
    private final CommandDispatcher dispatcher;
    private final HealthTracker health;
    private final FullJitterBackoff backoff;

    private final Signal signal = new Signal();
    private final Runnable onCommit = signal::raise;
    private final AtomicBoolean healthDirty = new AtomicBoolean();
    private final AtomicBoolean rebirthRequested = new AtomicBoolean();
    private final ArrayDeque<byte[]> pendingReplies = new ArrayDeque<>();
    private final AtomicLong sessions = new AtomicLong();
    private final ThreadPoolExecutor commandThread;
    private volatile ObjectNode latestHealth;
    private volatile Session current;
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
        this.dispatcher = new CommandDispatcher(new CommandVerifier(settings.terminal(), key, clock), commands,
                outbox);
        this.health = new HealthTracker(DEVICE_ID, clock);
        this.status = new Status(false, settings.uris().get(0), "not started", clock.instant(), 0, 0);
        this.commandThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(COMMAND_QUEUE),
                r -> Thread.ofPlatform().daemon().name("hub-commands").unstarted(r));
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
        linkThread = Thread.ofPlatform().daemon().name("hub-link").unstarted(this::runLoop);
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
        commandThread.shutdownNow();
        try {
            commandThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        Session s = current;
        return s != null && s.lost == null;
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
        Session s = current;
        if (s == null || s.lost != null) {
            return;
        }
        try {
            s.client.publish(topics.metrics(), bytes(metrics), 0, false);
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

    /** One MQTT session: one client, one bdSeq, its own in-flight count and drain cursors. */
    private final class Session implements MqttCallback, IMqttActionListener {
        final MqttAsyncClient client;
        final long bdSeq;
        final String uri;
        final AtomicInteger inflight = new AtomicInteger();
        final long[] cursor = new long[KINDS.length];
        volatile String lost;
        volatile long lastProgressNanos = System.nanoTime();

        Session(MqttAsyncClient client, long bdSeq, String uri) {
            this.client = client;
            this.bdSeq = bdSeq;
            this.uri = uri;
        }

        void lose(String reason) {
            if (lost == null) {
                lost = reason;
            }
            signal.raise();
        }

        @Override
        public void connectionLost(Throwable cause) {
            lose("connection lost: " + describe(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // Paho's callback thread: hand over, never block, never throw (Paho would drop the link)
            try {
                String name = topics.commandName(topic).orElse(null);
                if (name == null) {
                    log.debug("message on unexpected topic {} ignored", topic);
                    return;
                }
                byte[] payload = message.getPayload();
                try {
                    commandThread.execute(() -> runCommand(name, payload));
                } catch (RejectedExecutionException e) {
                    sendReply(CommandDispatcher.busyReply(payload));
                }
            } catch (RuntimeException e) {
                log.warn("command intake failed", e);
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // acknowledgements are handled per publish (onSuccess)
        }

        /** PUBACK of an event. */
        @Override
        public void onSuccess(IMqttToken token) {
            OutboxEntry entry = (OutboxEntry) token.getUserContext();
            outbox.acknowledge(entry);
            int left = inflight.decrementAndGet();
            lastProgressNanos = System.nanoTime();
            if (left <= settings.inflightWindow() - refillBatch()) {
                signal.raise();
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            inflight.decrementAndGet();
            lose("publish not acknowledged: " + describe(exception));
        }
    }

    private void runLoop() {
        int failures = 0;
        int uriIndex = 0;
        try {
            while (running) {
                loopBeatNanos = System.nanoTime();
                String uri = settings.uris().get(uriIndex % settings.uris().size());
                Session s = null;
                String failure = null;
                HealthReason failureReason = HealthReason.LINK_DOWN;
                long bdSeq = 0;
                try {
                    bdSeq = db.incrementCounter(BDSEQ_COUNTER);
                    s = connect(uri, bdSeq);
                } catch (MqttException e) {
                    failure = uri + ": " + describe(e);
                    if (isConfigurationProblem(e)) {
                        failureReason = HealthReason.CONFIGURATION_ERROR;
                    }
                } catch (RuntimeException e) {
                    failure = uri + ": " + describe(e);
                    log.warn("connection attempt to {} failed", uri, e);
                }
                if (s != null) {
                    failures = 0;
                    String reason = runSession(s);
                    current = null;
                    if (!running) {
                        break;
                    }
                    setDown(HealthReason.LINK_DOWN, uri + ": " + reason, uri, bdSeq);
                    log.warn("hub link to {} down: {}", uri, reason);
                } else {
                    setDown(failureReason, failure, uri, bdSeq);
                    log.info("hub link: attempt {} failed: {}", failures + 1, failure);
                    uriIndex++;
                    failures++;
                }
                if (running) {
                    Duration wait = backoff.delay(Math.max(0, failures - 1), ThreadLocalRandom.current());
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

    private Session connect(String uri, long bdSeq) throws MqttException {
        log.debug("connecting to {} (bdSeq {})", uri, bdSeq);
        MqttAsyncClient client = new MqttAsyncClient(uri, settings.clientId(), new MemoryPersistence());
        Session s = new Session(client, bdSeq, uri);
        client.setCallback(s);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true); // the outbox, not the broker session, keeps what must go again
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        o.setConnectionTimeout((int) settings.connectTimeout().toSeconds());
        o.setMaxInflight(settings.inflightWindow() + EXTRA_INFLIGHT);
        o.setWill(topics.state(), offlineState(bdSeq), 1, true);
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        if (settings.password() != null) {
            o.setPassword(settings.password().toCharArray());
        }
        if (ssl != null) {
            o.setSocketFactory(ssl.getSocketFactory());
            o.setHttpsHostnameVerificationEnabled(true);
        }
        long waitMs = settings.connectTimeout().toMillis() + 2_000;
        try {
            client.connect(o).waitForCompletion(waitMs);
            log.debug("connected to {} (bdSeq {})", uri, bdSeq);
            IMqttToken sub = client.subscribe(topics.commandFilter(), 1);
            sub.waitForCompletion(waitMs);
            int[] granted = sub.getGrantedQos();
            if (granted == null || granted.length == 0 || granted[0] > 2) {
                log.error("the broker refused the subscription to {}: commands cannot arrive",
                        topics.commandFilter());
            }
        } catch (MqttException | RuntimeException e) {
            closeClient(client, false);
            throw e;
        }
        return s;
    }

    /** Runs a connected session until it is lost or the link stops; returns why it ended. */
    private String runSession(Session s) {
        current = s;
        long n = sessions.incrementAndGet();
        status = new Status(true, s.uri, "", clock.instant(), s.bdSeq, n);
        health.online();
        log.info("hub link connected to {} (bdSeq {})", s.uri, s.bdSeq);
        try {
            publishState(s);
            healthDirty.set(true);
            flushReplies(s);
            // a backstop behind MQTT keep-alive (which finds a silent link after about two
            // keep-alives): PUBACKs that stop coming while events are in flight
            long stallNanos = Math.max(3 * settings.keepAlive().toNanos(), Duration.ofSeconds(5).toNanos());
            while (running && s.lost == null) {
                loopBeatNanos = System.nanoTime();
                if (rebirthRequested.getAndSet(false)) {
                    publishState(s);
                    healthDirty.set(true);
                }
                if (healthDirty.getAndSet(false)) {
                    ObjectNode h = latestHealth;
                    if (h != null) {
                        s.client.publish(topics.health(), bytes(h), 1, true);
                    }
                }
                flushReplies(s);
                fill(s);
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
        if (!running && s.lost == null) {
            goOffline(s);
            return "stopped";
        }
        log.debug("session {} ended: {}", s.bdSeq, s.lost);
        closeClient(s.client, false);
        log.debug("session {} client closed", s.bdSeq);
        return s.lost == null ? "stopped" : s.lost;
    }

    /** Publishes waiting events while there is room in the window, most urgent kind first. */
    private void fill(Session s) throws MqttException {
        int window = settings.inflightWindow();
        // acknowledged events wait a moment for the writer to delete them (longer while SQLite
        // checkpoints); up to ACK_SLACK windows of them do not hold the flow back, more do, so
        // they stay bounded
        int free = window - s.inflight.get()
                - Math.max(0, outbox.pendingAcknowledgements() - ACK_SLACK * window);
        // refill in batches, not one event per acknowledgement
        if (free <= 0 || (free < refillBatch() && s.inflight.get() > 0)) {
            return;
        }
        for (EventKind kind : KINDS) {
            int k = kind.ordinal();
            while (free > 0 && s.lost == null) {
                long last = outbox.lastSeq(kind);
                if (s.cursor[k] >= last) {
                    break;
                }
                OutboxPage page = outbox.read(kind, s.cursor[k], Math.min(free, PAGE));
                String topic = topics.event(kind);
                for (OutboxEntry e : page.entries()) {
                    s.inflight.incrementAndGet();
                    try {
                        s.client.publish(topic, e.payload(), 1, false, e, s);
                    } catch (MqttException ex) {
                        s.inflight.decrementAndGet();
                        if (ex.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                            return; // Paho's window is full; the next acknowledgement wakes us
                        }
                        throw ex;
                    }
                    s.cursor[k] = e.seq();
                    free--;
                }
                s.cursor[k] = Math.max(s.cursor[k], page.exhausted() ? Math.max(page.lastScanned(), last)
                        : page.lastScanned());
            }
            if (free <= 0) {
                return;
            }
        }
    }

    /** Free room in the window worth a refill: a quarter of it. */
    private int refillBatch() {
        return Math.max(1, settings.inflightWindow() / 4);
    }

    private void publishState(Session s) throws MqttException {
        ObjectNode st = JsonNodeFactory.instance.objectNode();
        st.put("online", true);
        st.put("bdSeq", s.bdSeq);
        st.put("ts", HubTime.format(HubTime.now(clock)));
        st.put("version", version);
        st.put("startedAt", HubTime.format(OffsetDateTime.ofInstant(startedAt, clock.getZone())
                .truncatedTo(ChronoUnit.MILLIS)));
        s.client.publish(topics.state(), bytes(st), 1, true);
    }

    private static byte[] offlineState(long bdSeq) {
        return ("{\"online\":false,\"bdSeq\":" + bdSeq + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Clean shutdown: the offline state, then DISCONNECT (so the broker drops the will). */
    private void goOffline(Session s) {
        try {
            IMqttDeliveryToken t = s.client.publish(topics.state(), offlineState(s.bdSeq), 1, true);
            t.waitForCompletion(OFFLINE_PUBLISH_WAIT.toMillis());
        } catch (MqttException | RuntimeException e) {
            log.warn("could not publish the offline state: {}", describe(e));
        }
        try {
            s.client.disconnect(1_000).waitForCompletion(2_000);
        } catch (MqttException | RuntimeException e) {
            log.debug("disconnect failed: {}", describe(e));
        }
        closeClient(s.client, true);
    }

    private void closeClient(MqttAsyncClient client, boolean disconnected) {
        if (!disconnected) {
            try {
                client.disconnectForcibly(0, 1_000, false);
            } catch (MqttException | RuntimeException e) {
                log.debug("forced disconnect: {}", e.toString());
            }
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            log.debug("closing the MQTT client: {}", e.toString());
        }
    }

    private void setDown(HealthReason reason, String message, String uri, long bdSeq) {
        status = new Status(false, uri, message, clock.instant(), bdSeq, sessions.get());
        health.set(reason, message);
    }

    // ---------------------------------------------------------------- commands and replies

    private void runCommand(String name, byte[] payload) {
        ObjectNode reply;
        try {
            reply = dispatcher.dispatch(name, payload);
        } catch (RuntimeException e) {
            log.error("command {} could not be handled", name, e);
            reply = CommandDispatcher.reply(null, CommandResult.failed(CommandDispatcher.INTERNAL,
                    "the command could not be handled"));
        }
        sendReply(reply);
    }

    /** Publishes a reply now if connected, else keeps it (bounded) for the next session. */
    private void sendReply(ObjectNode reply) {
        byte[] payload = bytes(reply);
        Session s = current;
        if (s != null && s.lost == null) {
            try {
                s.client.publish(topics.reply(), payload, 1, false);
                return;
            } catch (MqttException | RuntimeException e) {
                log.debug("reply kept for later: {}", e.toString());
            }
        }
        synchronized (pendingReplies) {
            if (pendingReplies.size() >= MAX_PENDING_REPLIES) {
                pendingReplies.pollFirst();
                log.warn("a reply was dropped: more than {} waiting for the link", MAX_PENDING_REPLIES);
            }
            pendingReplies.addLast(payload);
        }
        signal.raise();
    }

    private void flushReplies(Session s) throws MqttException {
        while (true) {
            byte[] r;
            synchronized (pendingReplies) {
                r = pendingReplies.peekFirst();
                if (r == null) {
                    return;
                }
            }
            try {
                s.client.publish(topics.reply(), r, 1, false);
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                    return;
                }
                throw e;
            }
            synchronized (pendingReplies) {
                pendingReplies.pollFirst();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] bytes(ObjectNode n) {
        return PersonalDataGuard.mask(n).toString().getBytes(StandardCharsets.UTF_8);
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
