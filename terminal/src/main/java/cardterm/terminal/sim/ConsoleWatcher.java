package cardterm.terminal.sim;

import cardterm.terminal.event.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The short live summary {@code simulate} prints: it watches {@code cardterm/v1/#} on the broker,
 * as a hub or {@code mosquitto_sub} would, and prints one line per message.
 */
public final class ConsoleWatcher implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Longest message summary printed. */
    static final int MAX_LINE = 300;
    private final ObjectMapper json = new ObjectMapper();
    private final MqttClient client;
    private final PrintStream out;

    private ConsoleWatcher(MqttClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    public static ConsoleWatcher start(String brokerUri, String topicRoot, PrintStream out) throws MqttException {
        MqttClient c = new MqttClient(brokerUri, "cardterm-console-" + ProcessHandle.current().pid(),
                new MemoryPersistence());
        ConsoleWatcher w = new ConsoleWatcher(c, out);
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                out.println(now() + "  (console lost the broker: " + SafeText.of(cause.getMessage()) + ")");
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                w.print(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setConnectionTimeout(5);
        c.connect(o);
        c.subscribe(topicRoot + "/#", 1);
        return w;
    }

    private static String now() {
        return LocalTime.now().format(TIME);
    }

    void print(String topic, MqttMessage m) {
        String suffix = topic.replaceFirst("^cardterm/v1/[^/]+/[^/]+/", "");
        String line;
        try {
            JsonNode n = json.readTree(m.getPayload());
            line = switch (suffix.contains("/") ? suffix.substring(0, suffix.indexOf('/')) : suffix) {
                case "state" -> "state    " + (n.path("online").asBoolean() ? "ONLINE" : "OFFLINE")
                        + " (bdSeq " + n.path("bdSeq").asText() + ")";
                case "health" -> "health   " + n.path("status").asText() + devices(n.path("devices"));
                case "event" -> "event    #" + n.path("seq").asText() + " " + n.path("type").asText() + " "
                        + brief(n.path("data"));
                case "reply" -> "reply    " + n.path("requestId").asText() + " ok=" + n.path("ok").asText()
                        + (n.has("error") ? " " + n.path("error").path("code").asText() : "");
                case "cmd" -> "command  " + suffix.substring(4);
                case "metrics" -> null;
                default -> suffix;
            };
        } catch (Exception e) {
            line = suffix + " (" + m.getPayload().length + " bytes)";
        }
        if (line != null) {
            // what the broker carries may come from anyone who can publish: never raw on the console
            out.println(now() + "  " + SafeText.of(line, MAX_LINE) + (m.isRetained() ? "  [retained]" : ""));
        }
    }

    private static String devices(JsonNode devs) {
        StringBuilder b = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = devs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String state = e.getValue().path("state").asText();
            if (!state.equals("ONLINE")) {
                b.append(" ").append(e.getKey()).append("=").append(state).append("/")
                        .append(e.getValue().path("reason").asText());
            }
        }
        return b.toString();
    }

    private static String brief(JsonNode d) {
        StringBuilder b = new StringBuilder();
        for (String f : new String[] {"callId", "jobId", "step", "code", "level", "staffId", "concession", "device",
                "status", "detail", "supply"}) {
            if (d.has(f) && !d.get(f).isNull()) {
                b.append(f).append("=").append(d.get(f).asText()).append(" ");
            }
        }
        if (d.has("button")) {
            b.append("button=").append(d.path("button").path("id").asText()).append(" ");
        }
        if (d.has("elderly")) {
            b.append("elderly=").append(d.get("elderly").asText()).append(" ");
        }
        return b.toString().trim();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
