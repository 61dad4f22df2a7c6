package cardterm.terminal.fleet;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The hub's side of the fleet bench: one persistent MQTT session (clean session off, QoS 1, so
 * what arrives while it reconnects after a broker restart waits for it on the broker) subscribed to
 * every terminal's events and {@code state}. Per terminal it keeps which {@code seq} it saw (to
 * count what is missing), whether each kind came in seq order, and when the terminal last said it
 * was online; it counts online {@code state} messages per second (new connections, at the broker).
 */
public final class FleetSubscriber implements AutoCloseable {
    /** What one terminal sent. Guarded by the subscriber's callback thread (and reads under its lock). */
    static final class Track {
        final BitSet seen = new BitSet();
        final Map<String, Long> lastByKind = new HashMap<>();
        long outOfOrder;
        long duplicates;
        volatile long onlineAtNanos;
        volatile long bdSeq = -1;
    }

    private final MqttAsyncClient client;
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final long startNanos = System.nanoTime();
    /** Online state messages per second since the subscriber started. */
    private final AtomicLong[] onlinePerSecond = new AtomicLong[24 * 3600];
    private final AtomicLong events = new AtomicLong();

    private FleetSubscriber(MqttAsyncClient client) {
        this.client = client;
        for (int i = 0; i < onlinePerSecond.length; i++) {
            onlinePerSecond[i] = new AtomicLong();
        }
    }

    /** Connects (persistent session) and subscribes; reconnects by itself within about a second. */
    public static FleetSubscriber start(String uri) throws MqttException {
        String id = "cardterm-fleet-sub-" + Long.toString(System.nanoTime() & 0xFFFFFFFL, 36);
        // several URIs (a cluster's nodes): connect to the first that answers, move on when it dies
        java.util.List<String> uris = FleetSimulator.hubUris(uri);
        MqttAsyncClient c = new MqttAsyncClient(uris.getFirst(), id, new MemoryPersistence());
        FleetSubscriber s = new FleetSubscriber(c);
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                s.arrived(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(1000);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setMaxInflight(10_000);
        o.setServerURIs(uris.toArray(String[]::new));
        c.connect(o).waitForCompletion(30_000);
        c.subscribe(new String[] {"cardterm/v1/+/+/event/+", "cardterm/v1/+/+/state"}, new int[] {1, 1})
                .waitForCompletion(30_000);
        return s;
    }

    private void arrived(String topic, byte[] payload) {
        // cardterm/v1/{site}/{terminal}/event/{kind} or .../state
        int a = topic.indexOf('/', "cardterm/v1/".length());
        int b = topic.indexOf('/', a + 1);
        if (a < 0 || b < 0) {
            return;
        }
        String key = topic.substring("cardterm/v1/".length(), b);
        Track t = tracks.computeIfAbsent(key, k -> new Track());
        String rest = topic.substring(b + 1);
        String text = new String(payload, StandardCharsets.UTF_8);
        if (rest.equals("state")) {
            if (text.contains("\"online\":true")) {
                long now = System.nanoTime();
                t.bdSeq = number(text, "\"bdSeq\":");
                t.onlineAtNanos = now;
                int sec = (int) ((now - startNanos) / 1_000_000_000L);
                if (sec < onlinePerSecond.length) {
                    onlinePerSecond[sec].incrementAndGet();
                }
            }
            return;
        }
        if (!rest.startsWith("event/")) {
            return;
        }
        long seq = number(text, "\"seq\":");
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            return;
        }
        events.incrementAndGet();
        String kind = rest.substring("event/".length());
        synchronized (t) {
            if (t.seen.get((int) seq)) {
                t.duplicates++; // at least once: a resend after a reconnect
                return;
            }
            t.seen.set((int) seq);
            Long last = t.lastByKind.get(kind);
            if (last != null && seq < last) {
                t.outOfOrder++;
            } else {
                t.lastByKind.put(kind, seq);
            }
        }
    }

    private static long number(String text, String field) {
        int i = text.indexOf(field);
        if (i < 0) {
            return -1;
        }
        i += field.length();
        long v = 0;
        int start = i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            v = v * 10 + (text.charAt(i++) - '0');
        }
        return i == start ? -1 : v;
    }

    /** Events received so far (without duplicates counted twice? no: every arrival). */
    public long events() {
        return events.get();
    }

    /** When (nanoTime) the terminal {@code site/id} last said it was online, or 0. */
    public long onlineAtNanos(String site, String id) {
        Track t = tracks.get(site + "/" + id);
        return t == null ? 0 : t.onlineAtNanos;
    }

    /** Of seq 1..{@code lastSeq} of terminal {@code site/id}, how many never arrived. */
    public long missing(String site, String id, long lastSeq) {
        Track t = tracks.get(site + "/" + id);
        if (t == null) {
            return lastSeq;
        }
        synchronized (t) {
            int end = (int) Math.min(Integer.MAX_VALUE, lastSeq + 1);
            return lastSeq - t.seen.get(1, end).cardinality();
        }
    }

    /** Events of a kind that came after a higher seq of the same kind and terminal, over all terminals. */
    public long outOfOrder() {
        long n = 0;
        for (Track t : tracks.values()) {
            synchronized (t) {
                n += t.outOfOrder;
            }
        }
        return n;
    }

    public long duplicates() {
        long n = 0;
        for (Track t : tracks.values()) {
            synchronized (t) {
                n += t.duplicates;
            }
        }
        return n;
    }

    /** The most online {@code state} messages in one second, from {@code fromNanos} on. */
    public long peakOnlinePerSecond(long fromNanos) {
        int from = (int) Math.max(0, (fromNanos - startNanos) / 1_000_000_000L);
        long peak = 0;
        for (int i = from; i < onlinePerSecond.length; i++) {
            peak = Math.max(peak, onlinePerSecond[i].get());
        }
        return peak;
    }

    /**
     * Stops taking events: unsubscribes (so the broker no longer routes events to this persistent
     * session) and disconnects. The counts stay readable.
     */
    public void stop() {
        try {
            if (client.isConnected()) {
                client.unsubscribe(new String[] {"cardterm/v1/+/+/event/+", "cardterm/v1/+/+/state"})
                        .waitForCompletion(10_000);
            }
        } catch (MqttException e) {
            // disconnecting anyway
        }
        close();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000).waitForCompletion(2000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // closed anyway
        }
    }
}
