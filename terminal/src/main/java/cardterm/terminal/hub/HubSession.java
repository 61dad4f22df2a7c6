package cardterm.terminal.hub;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT session with the hub's broker: one Paho client, one {@code bdSeq} (in its will), and
 * whether and why it was lost. Messages and acknowledgements go to its {@link Listener} on Paho's
 * threads; the listener must not block. Made by {@link #connect}; ended by {@link #goOffline}
 * (clean) or {@link #close} (after a loss).
 */
final class HubSession implements MqttCallback, IMqttActionListener {
    private static final Logger log = LoggerFactory.getLogger(HubSession.class);
    /** Room for state, health and replies beyond the event window. */
    private static final int EXTRA_INFLIGHT = 64;
    private static final long OFFLINE_PUBLISH_WAIT_MS = 3_000;

    /** What a session tells its link, on Paho's threads. */
    interface Listener {
        /**
         * A message arrived on a topic the session subscribed to. It is acknowledged to the broker
         * only by {@link #acknowledge}: until then, after a loss, the broker delivers it again.
         */
        void messageArrived(HubSession session, String topic, byte[] payload, int messageId, int qos);

        /** The broker acknowledged what was published with {@link #publishTracked} under {@code context}. */
        void acknowledged(HubSession session, Object context);

        /** After an acknowledgement: {@code left} events of the session are still unacknowledged. */
        void inflightDropped(HubSession session, int left);

        /** The session was lost (or an event not acknowledged): the link should notice soon. */
        void sessionLost(HubSession session);
    }

    final MqttAsyncClient client;
    final long bdSeq;
    final String uri;
    /** Whether a health document this process did not publish came on its own topic in this session. */
    volatile boolean foreignHealthSeen;
    /** Events published and not yet acknowledged. */
    final AtomicInteger inflight = new AtomicInteger();
    private final Listener listener;
    private volatile String lost;
    volatile long lastProgressNanos = System.nanoTime();

    private HubSession(MqttAsyncClient client, long bdSeq, String uri, Listener listener) {
        this.client = client;
        this.bdSeq = bdSeq;
        this.uri = uri;
        this.listener = listener;
    }

    /**
     * Connects to {@code uri} with a will of {@code {"online":false,"bdSeq":n}} (retained) and
     * subscribes to the command filter; waits at most the connect timeout plus 2 s.
     */
    static HubSession connect(String uri, long bdSeq, HubSettings settings, int eventWindow, SSLContext ssl,
            Listener listener) throws MqttException {
        log.debug("connecting to {} (bdSeq {})", uri, bdSeq);
        Topics topics = settings.topics();
        // as the 3-argument constructor, on threads that skip Paho's start-up naps (see PahoThreads);
        // many terminals in one JVM (virtual service threads): pings on one shared scheduler
        MqttAsyncClient client = new MqttAsyncClient(uri, settings.clientId(), new PahoNoStore(),
                cardterm.devices.concurrent.ServiceThreads.virtual()
                        ? new org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender(PahoThreads.pings())
                        : new org.eclipse.paho.client.mqttv3.TimerPingSender(), PahoThreads.INSTANCE);
        HubSession s = new HubSession(client, bdSeq, uri, listener);
        client.setCallback(s);
        client.setManualAcks(true); // a command is acknowledged once its reply is stored
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        // persistent: QoS 1 commands sent while the terminal is away wait at the broker (its
        // session expiry bounds how long); what must go out again is kept by the outbox, not here
        o.setCleanSession(false);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        o.setConnectionTimeout((int) settings.connectTimeout().toSeconds());
        o.setMaxInflight(eventWindow + EXTRA_INFLIGHT);
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
            // this terminal's own retained health: one this process did not publish means another
            // client publishes under this id (see SessionConflict)
            client.subscribe(topics.health(), 0).waitForCompletion(waitMs);
        } catch (MqttException | RuntimeException e) {
            closeClient(client, false);
            throw e;
        }
        return s;
    }

    /** Why the session was lost, or {@code null} while it is up. */
    String lost() {
        return lost;
    }

    boolean isUp() {
        return lost == null;
    }

    void lose(String reason) {
        if (lost == null) {
            lost = reason;
        }
        listener.sessionLost(this);
    }

    /** Publishes (QoS 0 or 1) without waiting. */
    void publish(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
        client.publish(topic, payload, qos, retained);
    }

    /**
     * Publishes (QoS 1) what must be tracked; its PUBACK reaches {@link Listener#acknowledged}.
     * Paho takes {@code payload} as it is: the caller gives it up.
     */
    void publishTracked(String topic, byte[] payload, Object context) throws MqttException {
        inflight.incrementAndGet();
        try {
            client.publish(topic, new GivenPayload(payload), context, this);
        } catch (MqttException | RuntimeException e) {
            inflight.decrementAndGet();
            throw e;
        }
    }

    /**
     * A QoS 1 message whose payload Paho sends as it is. Paho copies a payload it is given
     * ({@code MqttMessage.setPayload}) in case the caller changes it later; the bytes of an event
     * just read from the outbox belong to nothing else, so the copy (one per event drained) is
     * left out.
     */
    private static final class GivenPayload extends MqttMessage {
        private final byte[] bytes;

        GivenPayload(byte[] bytes) {
            this.bytes = bytes;
            setQos(1);
        }

        @Override
        public byte[] getPayload() {
            return bytes;
        }
    }

    /** Tells the broker a message it delivered is taken care of (manual acknowledgement). */
    void acknowledge(int messageId, int qos) {
        if (qos == 0 || !isUp()) {
            return; // a lost session's messages come again in the next one
        }
        try {
            client.messageArrivedComplete(messageId, qos);
        } catch (MqttException | RuntimeException e) {
            log.debug("acknowledging message {}: {}", messageId, e.toString());
        }
    }

    static byte[] offlineState(long bdSeq) {
        return ("{\"online\":false,\"bdSeq\":" + bdSeq + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Clean shutdown: the offline state, then DISCONNECT (so the broker drops the will). */
    void goOffline(Topics topics) {
        try {
            IMqttDeliveryToken t = client.publish(topics.state(), offlineState(bdSeq), 1, true);
            t.waitForCompletion(OFFLINE_PUBLISH_WAIT_MS);
        } catch (MqttException | RuntimeException e) {
            log.warn("could not publish the offline state: {}", HubLink.describe(e));
        }
        try {
            client.disconnect(1_000).waitForCompletion(2_000);
        } catch (MqttException | RuntimeException e) {
            log.debug("disconnect failed: {}", HubLink.describe(e));
        }
        closeClient(client, true);
    }

    /** Ends a lost session's client. */
    void close() {
        closeClient(client, false);
    }

    private static void closeClient(MqttAsyncClient client, boolean disconnected) {
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

    // ---------------------------------------------------------------- Paho's callbacks

    @Override
    public void connectionLost(Throwable cause) {
        lose("connection lost: " + HubLink.describe(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        // Paho's callback thread: hand over, never block, never throw (Paho would drop the link)
        try {
            listener.messageArrived(this, topic, message.getPayload(), message.getId(), message.getQos());
        } catch (RuntimeException e) {
            log.warn("message intake failed", e);
        }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // acknowledgements are handled per publish (onSuccess)
    }

    /** PUBACK of an event. */
    @Override
    public void onSuccess(IMqttToken token) {
        listener.acknowledged(this, token.getUserContext());
        int left = inflight.decrementAndGet();
        lastProgressNanos = System.nanoTime();
        listener.inflightDropped(this, left);
    }

    @Override
    public void onFailure(IMqttToken token, Throwable exception) {
        inflight.decrementAndGet();
        lose("publish not acknowledged: " + HubLink.describe(exception));
    }
}
