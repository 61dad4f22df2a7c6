package cardterm.terminal.monitor;

import cardterm.terminal.hub.PemTls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Feeds a {@link FleetView} from a broker: subscribes to the retained {@code state} and
 * {@code health} of every terminal (of one site, or all) and to their events. Read-only: it
 * publishes nothing. Closeable.
 */
public final class FleetWatcher implements AutoCloseable {
    private final MqttClient client;
    private final FleetView view;
    private final Clock clock;
    private final AtomicLong messages = new AtomicLong();
    private volatile long lastMessageNanos = System.nanoTime();
    private volatile String lost;
    /** Filters subscribed besides the fleet's own (one terminal's events while a page shows it). */
    private final java.util.Set<String> extra = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile java.util.function.BiConsumer<String, byte[]> tap = (t, p) -> { };

    /** How to reach the broker. */
    public record Connection(String uri, Optional<String> username, Optional<String> password, Optional<Path> caFile) {
        public Connection {
            Objects.requireNonNull(uri, "uri");
        }
    }

    private FleetWatcher(MqttClient client, FleetView view, Clock clock) {
        this.client = client;
        this.view = view;
        this.clock = clock;
    }

    /** Connects and subscribes; throws MqttException with the broker's answer when it cannot. */
    public static FleetWatcher start(Connection c, Optional<String> site, FleetView view, Clock clock)
            throws MqttException, PemTls.TlsFileException {
        return start(c, site, view, clock, true);
    }

    /**
     * Connects and subscribes to the fleet's {@code state} and {@code health}, and to every
     * terminal's events only when {@code allEvents} (otherwise one terminal's at a time, by
     * {@link #subscribe}).
     */
    public static FleetWatcher start(Connection c, Optional<String> site, FleetView view, Clock clock,
            boolean allEvents) throws MqttException, PemTls.TlsFileException {
        String id = "cardterm-monitor-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
        MqttClient client = new MqttClient(c.uri(), id.length() > 64 ? id.substring(0, 64) : id,
                new MemoryPersistence());
        FleetWatcher w = new FleetWatcher(client, view, clock);
        String root = "cardterm/v1/" + site.orElse("+") + "/+/";
        String[] filters = allEvents ? new String[] {root + "state", root + "health", root + "event/+"}
                : new String[] {root + "state", root + "health"};
        // QoS 0: the retained state and health come in a burst without an acknowledgement each (ten
        // thousand terminals: twenty thousand PUBACKs fewer); a change missed while the connection
        // drops comes again, retained, on the resubscription
        int[] qos = allEvents ? new int[] {0, 0, 0} : new int[] {0, 0};
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    // a clean session forgets subscriptions: subscribe again, off Paho's callback thread
                    Thread.ofPlatform().daemon().name("monitor-resubscribe").start(() -> {
                        try {
                            client.subscribe(filters, qos);
                            for (String f : w.extra) {
                                client.subscribe(f, 0);
                            }
                        } catch (MqttException e) {
                            w.lost = "subscribe after reconnect failed: " + e.getMessage();
                        }
                    });
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                w.lost = String.valueOf(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                w.messages.incrementAndGet();
                w.lastMessageNanos = System.nanoTime();
                view.accept(topic, message.getPayload(), clock.instant());
                w.tap.accept(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(1000);
        c.username().ifPresent(o::setUserName);
        c.password().ifPresent(p -> o.setPassword(p.toCharArray()));
        if (c.caFile().isPresent()) {
            o.setSocketFactory(PemTls.context(c.caFile().get(), null, null).getSocketFactory());
        }
        try {
            client.connect(o);
            client.subscribe(filters, qos);
        } catch (MqttException e) {
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // failing anyway
            }
            throw e;
        }
        return w;
    }

    /** Also subscribes to {@code filter} (again after a reconnect) until {@link #unsubscribe}. */
    public void subscribe(String filter) throws MqttException {
        extra.add(filter);
        client.subscribe(filter, 0);
    }

    /** Stops a {@link #subscribe}. */
    public void unsubscribe(String filter) throws MqttException {
        extra.remove(filter);
        client.unsubscribe(filter);
    }

    /** Where every message goes besides the view (on Paho's thread: must not block). */
    public void tap(java.util.function.BiConsumer<String, byte[]> tap) {
        this.tap = java.util.Objects.requireNonNull(tap, "tap");
    }

    /** Messages taken so far. */
    public long messages() {
        return messages.get();
    }

    /** Time since the last message arrived. */
    public Duration quietFor() {
        return Duration.ofNanos(System.nanoTime() - lastMessageNanos);
    }

    /** Why the connection was lost, if it was (it reconnects by itself). */
    public Optional<String> lost() {
        return Optional.ofNullable(client.isConnected() ? null : lost);
    }

    public FleetView view() {
        return view;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
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
