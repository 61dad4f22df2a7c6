package cardterm.terminal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A branch broker bridged to the centre with {@code config/mosquitto/bridge.conf}: two terminals
 * on the branch broker; the centre goes away under a stream of events (the terminals keep working,
 * their events handed to the branch broker, which queues them for the bridge); when it returns every
 * event reaches the centre, gap-free and in order per terminal and kind. A command sent at the
 * centre reaches a branch terminal through the bridge.
 */
class BranchBridgeTest {
    @TempDir
    Path dir;

    final Clock clock = Clock.systemDefaultZone();

    /** The shipped bridge example for this site and centre, without its TLS lines (plain loopback here). */
    static String bridgeConfig(String site, int centrePort) throws IOException {
        String text = Files.readString(HubTlsAclTest.exampleDir().resolve("bridge.conf"));
        assertThat(text).contains("\naddress hub.cardterm.example:8883\n").contains("\ncleansession false\n")
                .contains("\nlocal_clientid ").contains(" out 1\n").contains(" in 1\n");
        List<String> lines = new ArrayList<>();
        for (String line : text.replace("wz-lucheng-01", site).split("\n")) {
            if (line.startsWith("bridge_cafile") || line.startsWith("bridge_certfile")
                    || line.startsWith("bridge_keyfile") || line.startsWith("bridge_tls_version")
                    || line.startsWith("max_queued_messages") || line.startsWith("autosave_interval")) {
                continue; // TLS: not on this loopback test; the queue and autosave: set by the fixture
            }
            lines.add(line.startsWith("address ") ? "address 127.0.0.1:" + centrePort : line);
        }
        return String.join("\n", lines) + "\n";
    }

    @Test
    void withTheCentreAwayTheBranchKeepsWorkingAndEverythingArrivesWhenItReturns() throws Exception {
        String site = Rig.SITE;
        try (Mosquitto centre = Mosquitto.builder().persistence(true).start();
                MqttRecorder hub = MqttRecorder.start(centre.uri(), "hub-centre", "cardterm/v1/+/+/event/#", true,
                        o -> {});
                Mosquitto branch = startBranch(site, centre.port());
                Rig a = new Rig(dir.resolve("a"), "t-branch-a", branch.uri(), clock, b -> b);
                Rig b = new Rig(dir.resolve("b"), "t-branch-b", branch.uri(), clock, x -> x)) {
            a.link.start();
            b.link.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.link.isConnected() && b.link.isConnected());
            // the bridge is up: an event of each terminal crosses it
            a.outbox.publish("device.status", Rig.data("warm", 1));
            b.outbox.publish("device.status", Rig.data("warm", 1));
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.count() >= 2);

            List<EventEnvelope> pa;
            List<EventEnvelope> pb;
            try (HubFaultTest.Producer prodA = new HubFaultTest.Producer(a.outbox, 10);
                    HubFaultTest.Producer prodB = new HubFaultTest.Producer(b.outbox, 10)) {
                pa = prodA.published;
                pb = prodB.published;
                await().until(() -> prodA.count() >= 100 && hub.count() >= 100);

                centre.stop(); // unreachable
                int atStopA = prodA.count();
                int atStopB = prodB.count();
                // the branch keeps working: the terminals stay connected to the branch broker and
                // hand it every event (their outboxes stay near empty)
                await().atMost(Duration.ofSeconds(30)).until(() -> prodA.count() >= atStopA + 500
                        && prodB.count() >= atStopB + 500);
                assertThat(a.link.isConnected() && b.link.isConnected()).isTrue();
                await().until(() -> a.outbox.size() < 100 && b.outbox.size() < 100);

                centre.start();
                int backA = prodA.count();
                await().until(() -> prodA.count() >= backA + 100);
                prodA.stop();
                prodB.stop();
                assertThat(prodA.failures).isEmpty();
                assertThat(prodB.failures).isEmpty();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> a.outbox.size() == 0 && b.outbox.size() == 0);
            int expected = pa.size() + pb.size() + 2;
            await().atMost(Duration.ofSeconds(60)).until(() -> HubFaultTest.firstArrivals(hub).size() >= expected);

            for (int i = 0; i < 2; i++) {
                String terminal = i == 0 ? "t-branch-a" : "t-branch-b";
                List<JsonNode> mine = HubFaultTest.firstArrivals(hub).stream()
                        .filter(e -> e.get("terminal").asText().equals(terminal)).toList();
                assertThat(mine.stream().map(e -> e.get("id").asText()).toList())
                        .containsAll((i == 0 ? pa : pb).stream().map(EventEnvelope::id).toList());
                HubFaultTest.assertGapFreeAndOrderedPerKind(mine);
            }

            // a command at the centre reaches a branch terminal through the bridge (its reply comes back)
            Topics ta = new Topics(site, "t-branch-a");
            try (MqttRecorder replies = MqttRecorder.start(centre.uri(), ta.reply())) {
                hub.publish(ta.command("rebirth"), HubTlsAclTest.rebirth("r-bridge", "t-branch-a"), 1, false);
                await().atMost(Duration.ofSeconds(20)).until(() -> replies.count() >= 1);
            }
        }
    }

    Mosquitto startBranch(String site, int centrePort) throws IOException {
        Mosquitto.Builder b = Mosquitto.builder().persistence(true);
        for (String line : bridgeConfig(site, centrePort).split("\n")) {
            b.config(line);
        }
        return b.start();
    }
}
