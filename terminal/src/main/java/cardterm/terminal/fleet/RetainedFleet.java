package cardterm.terminal.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The retained {@code state} and {@code health} of a fleet, as its terminals leave them on the
 * broker (hub-contract.md), published by one client: what {@code monitor} reads when a technician
 * connects. Terminal {@code i} is {@code site-NNN/t-NNNN}; every 100th (from the 8th) is offline,
 * every 50th (from the 4th) has an empty hopper.
 */
public final class RetainedFleet {
    private RetainedFleet() {
    }

    /** The site of terminal {@code i} among {@code sites}: {@code site-001} ... */
    public static String site(int i, int sites) {
        return String.format(Locale.ROOT, "site-%03d", i % sites + 1);
    }

    /** Publishes (retained, QoS 1) the state and health of {@code terminals} terminals over {@code sites} sites. */
    public static void publish(String uri, int terminals, int sites) throws MqttException, InterruptedException {
        MqttAsyncClient c = new MqttAsyncClient(uri, "fleet-publisher-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(1000);
        c.connect(o).waitForCompletion(10_000);
        Semaphore room = new Semaphore(1000);
        IMqttActionListener release = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken t) {
                room.release();
            }

            @Override
            public void onFailure(IMqttToken t, Throwable e) {
                room.release();
            }
        };
        try {
            for (int i = 0; i < terminals; i++) {
                String root = "cardterm/v1/" + site(i, sites) + "/" + FleetSimulator.idOf(i) + "/";
                room.acquire();
                c.publish(root + "state", state(i).getBytes(StandardCharsets.UTF_8), 1, true, null, release);
                room.acquire();
                c.publish(root + "health", health(i).getBytes(StandardCharsets.UTF_8), 1, true, null, release);
            }
            if (!room.tryAcquire(1000, 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the broker did not acknowledge every retained message in 60 s");
            }
        } finally {
            c.disconnect().waitForCompletion(5000);
            c.close();
        }
    }

    /** Every 100th terminal is offline. */
    public static String state(int i) {
        return i % 100 == 7 ? "{\"online\":false,\"bdSeq\":3,\"ts\":\"2026-12-03T10:00:00.000+08:00\"}"
                : "{\"online\":true,\"bdSeq\":4,\"ts\":\"2026-12-03T09:00:00.000+08:00\",\"version\":\"1.0\","
                        + "\"startedAt\":\"2026-12-03T08:00:00.000+08:00\"}";
    }

    /** Every 50th terminal's printer has an empty hopper. */
    public static String health(int i) {
        boolean empty = i % 50 == 3;
        return "{\"ts\":\"2026-12-03T10:00:00.000+08:00\",\"status\":\"" + (empty ? "DEGRADED" : "ONLINE")
                + "\",\"devices\":{"
                + "\"printer\":{\"state\":\"" + (empty ? "DEGRADED" : "ONLINE") + "\",\"reason\":\""
                + (empty ? "SUPPLY_EMPTY" : "OK") + "\",\"message\":\"" + (empty ? "no blank cards in the hopper" : "")
                + "\",\"since\":\"2026-12-03T08:00:00.000+08:00\"},"
                + "\"card-encoder\":{\"state\":\"ONLINE\",\"reason\":\"OK\",\"message\":\"\",\"since\":\"2026-12-03T08:00:00.000+08:00\"},"
                + "\"sam\":{\"state\":\"ONLINE\",\"reason\":\"OK\",\"message\":\"\",\"since\":\"2026-12-03T08:00:00.000+08:00\"},"
                + "\"gpio\":{\"state\":\"ONLINE\",\"reason\":\"OK\",\"message\":\"\",\"since\":\"2026-12-03T08:00:00.000+08:00\"},"
                + "\"hub\":{\"state\":\"ONLINE\",\"reason\":\"OK\",\"message\":\"\",\"since\":\"2026-12-03T08:00:00.000+08:00\"}},"
                + "\"supplies\":[{\"device\":\"printer\",\"supply\":\"cards\",\"level\":\"" + (empty ? "empty" : "ok")
                + "\"},{\"device\":\"printer\",\"supply\":\"ribbon\",\"level\":\"ok\",\"left\":180,\"detail\":\"YMCKO\"}],"
                + "\"outbox\":{\"backlog\":0,\"oldestAgeMs\":null,\"byKind\":{\"assist\":0,\"issuance\":0,\"device\":0,"
                + "\"audit\":0}},\"system\":{\"diskFreeMb\":20480,\"uptimeS\":7200},"
                + "\"broker\":{\"connected\":true,\"since\":\"2026-12-03T08:00:01.000+08:00\",\"reconnects\":0}}";
    }

}
