package cardterm.terminal.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The hub's side in tests: an MQTT client that records every message on a topic filter (QoS 1)
 * and can publish. With a persistent session it gets, after it reconnects, what the broker kept
 * for it; it reconnects by itself (every 100 ms) when the broker goes away.
 */
public final class MqttRecorder implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One received message. */
    public record Message(String topic, byte[] payload, boolean retained, int qos) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final String filter;
    private final List<Message> messages = new ArrayList<>();
    private final ScheduledExecutorService reconnector;
    private volatile boolean closed;

    private MqttRecorder(String uri, String clientId, String filter, boolean persistentSession,
            Consumer<MqttConnectOptions> customizer) throws MqttException {
        this.filter = filter;
        this.client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        this.options = new MqttConnectOptions();
        options.setCleanSession(!persistentSession);
        options.setMaxInflight(1000);
        options.setKeepAliveInterval(5);
        options.setConnectionTimeout(5);
        customizer.accept(options);
        this.reconnector = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("recorder-" + clientId).unstarted(r));
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void connectionLost(Throwable cause) {
                scheduleReconnect();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                synchronized (messages) {
                    messages.add(new Message(topic, message.getPayload(), message.isRetained(), message.getQos()));
                    messages.notifyAll();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        client.connect(options).waitForCompletion(10_000);
        if (filter != null) {
            client.subscribe(filter, 1).waitForCompletion(10_000);
        }
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        reconnector.schedule(() -> {
            try {
                client.connect(options).waitForCompletion(5_000);
                if (filter != null) {
                    client.subscribe(filter, 1).waitForCompletion(5_000);
                }
            } catch (MqttException | RuntimeException e) {
                scheduleReconnect();
            }
        }, 100, TimeUnit.MILLISECONDS);
    }

    /** Records {@code filter} on a clean session. */
    public static MqttRecorder start(String uri, String filter) {
        return start(uri, "rec-" + System.nanoTime(), filter, false, o -> {});
    }

    /**
     * Records {@code filter} (null: records nothing, only publishes).
     *
     * @param persistentSession keep the session (and what the broker queues for it) across
     *     disconnects
     * @param customizer changes the connect options (TLS, credentials)
     */
    public static MqttRecorder start(String uri, String clientId, String filter, boolean persistentSession,
            Consumer<MqttConnectOptions> customizer) {
        try {
            return new MqttRecorder(uri, clientId, filter, persistentSession, customizer);
        } catch (MqttException e) {
            throw new AssertionError("recorder cannot connect to " + uri + ": " + e, e);
        }
    }

    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    public List<Message> messages(Predicate<Message> which) {
        return messages().stream().filter(which).toList();
    }

    /** Messages on exactly this topic. */
    public List<Message> on(String topic) {
        return messages(m -> m.topic().equals(topic));
    }

    public int count() {
        synchronized (messages) {
            return messages.size();
        }
    }

    public void clear() {
        synchronized (messages) {
            messages.clear();
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Publishes and waits for the broker's acknowledgement (QoS 1). */
    public void publish(String topic, byte[] payload, int qos, boolean retained) {
        try {
            client.publish(topic, payload, qos, retained).waitForCompletion(10_000);
        } catch (MqttException e) {
            throw new AssertionError("publish to " + topic + " failed: " + e, e);
        }
    }

    public MqttAsyncClient client() {
        return client;
    }

    @Override
    public void close() {
        closed = true;
        reconnector.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(500).waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
