package cardterm.terminal.hub;

import cardterm.terminal.testing.SecretFiles;
import cardterm.terminal.event.EventKind;
import cardterm.terminal.event.HubTime;
import static cardterm.terminal.hub.Rig.SITE;
import static cardterm.terminal.hub.Rig.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthReason;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import cardterm.terminal.testing.TcpProxy;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class HubLinkTest {
    static final AtomicInteger TERMINALS = new AtomicInteger();
    static Mosquitto broker;

    @TempDir
    Path dir;

    final Clock clock = Clock.system(ZoneId.of("Asia/Shanghai"));

    @BeforeAll
    static void startBroker() {
        broker = Mosquitto.startPlain();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static String newTerminal() {
        return "t-" + TERMINALS.incrementAndGet();
    }

    @Test
    void drainsMostUrgentKindFirstInSeqOrderAndDeletesAfterPuback() {
        String t = newTerminal();
        Topics topics = new Topics(SITE, t);
        try (Rig rig = new Rig(dir, t, broker.uri(), clock, b -> b.inflightWindow(1));
                MqttRecorder hub = MqttRecorder.start(broker.uri(), topics.root() + "/event/#")) {
            for (int i = 0; i < 3; i++) {
                rig.outbox.publish("audit.x", data("i", i));
            }
            rig.outbox.publish("device.status", data("i", 0));
            rig.outbox.publish("issuance.step", data("i", 0));
            rig.outbox.publish("assist.call.raised", data("i", 0));
            rig.outbox.publish("device.status", data("i", 1));
            rig.outbox.publish("issuance.step", data("i", 1));
            rig.outbox.publish("assist.call.raised", data("i", 1));

            rig.link.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.count() == 9);
            List<String> kinds = hub.messages().stream()
                    .map(m -> m.topic().substring(m.topic().lastIndexOf('/') + 1)).toList();
            assertThat(kinds).containsExactly("assist", "assist", "issuance", "issuance", "device", "device", "audit",
                    "audit", "audit");
            List<Long> seqs = hub.messages().stream().map(m -> m.json().get("seq").asLong()).toList();
            assertThat(seqs).containsExactly(6L, 9L, 5L, 8L, 4L, 7L, 1L, 2L, 3L);
            JsonNode first = hub.messages().get(0).json();
            assertThat(first.get("type").asText()).isEqualTo("assist.call.raised");
            assertThat(first.get("terminal").asText()).isEqualTo(t);
            assertThat(first.get("site").asText()).isEqualTo(SITE);
            await().until(() -> rig.outbox.size() == 0);

            // new events go at once
            rig.outbox.publish("assist.call.reminded", data("i", 2));
            await().until(() -> hub.count() == 10);
            assertThat(hub.messages().get(9).json().get("seq").asLong()).isEqualTo(10);
        }
    }

    @Test
    void anUrgentEventOvertakesTheEventsAlreadyReadAhead() {
        String t = newTerminal();
        Topics topics = new Topics(SITE, t);
        int devices = 3000;
        try (Rig rig = new Rig(dir, t, broker.uri(), clock, b -> b.inflightWindow(1));
                MqttRecorder hub = MqttRecorder.start(broker.uri(), topics.root() + "/event/#")) {
            for (int i = 0; i < devices; i++) {
                rig.outbox.publish("device.status", data("i", i));
            }
            rig.link.start();
            // one at a time (window 1): the link has read a page of device events ahead by now
            await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(20)).until(() -> hub.count() >= 10);
            int before = hub.count();
            long assistSeq = rig.outbox.publish("assist.call.raised", data("i", 0)).seq();
            await().atMost(Duration.ofSeconds(60)).until(() -> hub.count() == devices + 1);

            List<Long> seqs = hub.messages().stream().map(m -> m.json().get("seq").asLong()).toList();
            int at = seqs.indexOf(assistSeq);
            // it went within a few messages, not after the rest of the page read ahead (up to 256)
            assertThat(at).isBetween(before, before + 20);
            List<Long> deviceSeqs = seqs.stream().filter(s -> s != assistSeq).toList();
            assertThat(deviceSeqs).isSorted().doesNotHaveDuplicates().hasSize(devices);
            await().until(() -> rig.outbox.size() == 0);
        }
    }

    @Test
    void birthWillAndCleanShutdownCarryBdSeqThatSurvivesRestarts() {
        String t = newTerminal();
        Topics topics = new Topics(SITE, t);
        List<DeviceHealth> healths = new CopyOnWriteArrayList<>();
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", broker.port());
                MqttRecorder hub = MqttRecorder.start(broker.uri(), topics.state())) {
            try (Rig rig = new Rig(dir, t, proxy.uri(), clock, b -> b)) {
                rig.link.addHealthListener((id, h) -> healths.add(h));
                assertThat(rig.link.health().reason()).isEqualTo(HealthReason.INITIALIZING);
                rig.link.start();
                await().until(() -> hub.count() == 1);
                JsonNode birth = hub.messages().get(0).json();
                assertThat(birth.get("online").asBoolean()).isTrue();
                assertThat(birth.get("bdSeq").asLong()).isEqualTo(1);
                assertThat(birth.get("version").asText()).isEqualTo("test-1.0");
                assertThat(birth.get("ts").asText()).endsWith("+08:00");
                assertThat(birth.get("startedAt").asText()).endsWith("+08:00");
                assertThat(rig.link.health().reason()).isEqualTo(HealthReason.OK);

                proxy.cutAll(); // the broker sees the connection die: it publishes the will
                await().until(() -> hub.count() == 3);
                assertThat(hub.messages().get(1).text()).isEqualTo("{\"online\":false,\"bdSeq\":1}");
                assertThat(hub.messages().get(2).json().get("bdSeq").asLong()).isEqualTo(2);
                assertThat(healths).extracting(DeviceHealth::reason)
                        .containsSubsequence(HealthReason.OK, HealthReason.LINK_DOWN, HealthReason.OK);
                assertThat(healths.stream().filter(h -> h.reason() == HealthReason.LINK_DOWN).findFirst().get()
                        .message()).contains("connection lost");
            }
            // clean shutdown published the offline state itself
            await().until(() -> hub.count() == 4);
            assertThat(hub.messages().get(3).text()).isEqualTo("{\"online\":false,\"bdSeq\":2}");
            try (MqttRecorder late = MqttRecorder.start(broker.uri(), topics.state())) {
                await().until(() -> late.count() == 1);
                assertThat(late.messages().get(0).retained()).isTrue();
                assertThat(late.messages().get(0).text()).isEqualTo("{\"online\":false,\"bdSeq\":2}");
            }
            // restart: bdSeq goes on from the database
            try (Rig rig = new Rig(dir, t, proxy.uri(), clock, b -> b)) {
                rig.link.start();
                await().until(() -> hub.count() == 5);
                assertThat(hub.messages().get(4).json().get("bdSeq").asLong()).isEqualTo(3);
                assertThat(rig.link.status().bdSeq()).isEqualTo(3);
            }
        }
    }

    @Test
    void healthIsRetainedAndSentAgainAfterReconnectMetricsAreNeverKept() {
        String t = newTerminal();
        Topics topics = new Topics(SITE, t);
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", broker.port());
                Rig rig = new Rig(dir, t, proxy.uri(), clock, b -> b.keepAlive(Duration.ofSeconds(1)));
                MqttRecorder hub = MqttRecorder.start(broker.uri(), topics.root() + "/+")) {
            rig.link.start();
            await().until(rig.link::isConnected);
            ObjectNode health = Rig.JSON.createObjectNode().put("status", "ok").put("n", 1);
            rig.link.publishHealth(health);
            rig.link.publishMetrics(Rig.JSON.createObjectNode().put("x", 1));
            await().until(() -> hub.on(topics.health()).size() == 1 && hub.on(topics.metrics()).size() == 1);
            assertThat(hub.on(topics.metrics()).get(0).qos()).isZero();

            proxy.blackHole(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> !rig.link.isConnected());
            rig.link.publishMetrics(Rig.JSON.createObjectNode().put("x", 2)); // dropped: not connected
            proxy.blackHole(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.on(topics.health()).size() == 2);
            assertThat(hub.on(topics.health()).get(1).json()).isEqualTo(health);
            rig.link.publishMetrics(Rig.JSON.createObjectNode().put("x", 3));
            await().until(() -> hub.on(topics.metrics()).size() == 2);
            assertThat(hub.on(topics.metrics())).extracting(m -> m.json().get("x").asInt()).containsExactly(1, 3);

            try (MqttRecorder late = MqttRecorder.start(broker.uri(), topics.health())) {
                await().until(() -> late.count() == 1);
                assertThat(late.messages().get(0).retained()).isTrue();
            }
        }
    }

    @Test
    void commandsAreVerifiedRunAndAnsweredRefusalsAreAudited() throws Exception {
        String t = newTerminal();
        Topics topics = new Topics(SITE, t);
        Path keyFile = dir.resolve("command.key");
        String keyText = "k3y-for-tests-0123456789-abcdefghijklmnop";
        SecretFiles.write(keyFile, "  " + keyText + "\n");
        byte[] key = keyText.getBytes(StandardCharsets.UTF_8);
        try (Rig rig = new Rig(dir.resolve("db"), t, broker.uri(), clock, b -> b.commandKeyFile(keyFile));
                MqttRecorder hub = MqttRecorder.start(broker.uri(), topics.root() + "/#")) {
            rig.link.start();
            await().until(() -> hub.on(topics.state()).size() == 1);

            hub.publish(topics.command("rebirth"), CommandVerifier.sign(key, body("r-1", t, "rebirth", "{}")), 1,
                    false);
            await().until(() -> hub.on(topics.reply()).size() == 1);
            JsonNode reply = hub.on(topics.reply()).get(0).json();
            assertThat(reply.get("requestId").asText()).isEqualTo("r-1");
            assertThat(reply.get("ok").asBoolean()).isTrue();
            assertThat(reply.at("/result/bdSeq").asLong()).isEqualTo(1);
            await().until(() -> hub.on(topics.state()).size() == 2); // state again

            hub.publish(topics.command("log-level"), CommandVerifier.sign(key,
                    body("r-2", t, "log-level", "{\"logger\":\"cardterm.test.sample\",\"level\":\"debug\"}")), 1,
                    false);
            await().until(() -> hub.on(topics.reply()).size() == 2);
            assertThat(hub.on(topics.reply()).get(1).json().at("/result/level").asText()).isEqualTo("DEBUG");
            LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
            assertThat(lc.getLogger("cardterm.test.sample").getLevel()).isEqualTo(Level.DEBUG);

            // refused: wrong key, other terminal, unknown command; each answered and audited
            hub.publish(topics.command("rebirth"),
                    CommandVerifier.sign("another-key-another-key-another-key".getBytes(StandardCharsets.UTF_8),
                            body("r-3", t, "rebirth", "{}")), 1, false);
            hub.publish(topics.command("rebirth"), CommandVerifier.sign(key, body("r-4", "t-other", "rebirth", "{}")),
                    1, false);
            hub.publish(topics.command("frobnicate"), CommandVerifier.sign(key, body("r-5", t, "frobnicate", "{}")),
                    1, false);
            await().until(() -> hub.on(topics.reply()).size() == 5);
            Map<String, String> codes = hub.on(topics.reply()).stream().skip(2).map(MqttRecorder.Message::json)
                    .collect(Collectors.toMap(r -> r.get("requestId").asText(), r -> r.at("/error/code").asText()));
            assertThat(codes).containsEntry("r-3", "UNAUTHENTICATED").containsEntry("r-4", "MISDIRECTED")
                    .containsEntry("r-5", "INVALID");
            await().until(() -> hub.on(topics.event(EventKind.AUDIT)).size() == 5);
            List<JsonNode> audits = hub.on(topics.event(EventKind.AUDIT)).stream().map(MqttRecorder.Message::json)
                    .toList();
            assertThat(audits).extracting(a -> a.get("type").asText()).containsExactly(
                    "audit.command.executed", "audit.command.executed", "audit.command.refused",
                    "audit.command.refused", "audit.command.refused");
            assertThat(audits.get(2).at("/data/code").asText()).isEqualTo("UNAUTHENTICATED");
            assertThat(rig.link.status().bdSeq()).isEqualTo(1); // refusals had no other effect
            assertThat(hub.on(topics.state())).hasSize(2);
        }
    }

    static String body(String requestId, String terminal, String name, String args) {
        return "{\"requestId\":\"" + requestId + "\",\"issuedAt\":\"" + HubTime.format(HubTime.now(
                Clock.system(ZoneId.of("Asia/Shanghai")))) + "\",\"terminal\":\"" + terminal + "\",\"name\":\"" + name
                + "\",\"args\":" + args + "}";
    }

    /**
     * 1,000 forced reconnects (connections cut under the link), spread over 8 links at once:
     * Paho 1.2.5 polls every 100 ms while starting each of its three threads of a connection, so
     * one connect takes about 0.3 s and 1,000 in a row would take 5 minutes. A thread left behind
     * per reconnect would show as 1,000 extra threads all the same.
     */
    @Test
    void aThousandForcedReconnectsLeaveNoExtraThreads() throws Exception {
        int links = 8;
        int cyclesEach = 125;
        List<TcpProxy> proxies = new java.util.ArrayList<>();
        List<Rig> rigs = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(links);
        try {
            for (int i = 0; i < links; i++) {
                TcpProxy proxy = TcpProxy.to("127.0.0.1", broker.port());
                proxies.add(proxy);
                Rig rig = new Rig(dir.resolve("link-" + i), newTerminal(), proxy.uri(), clock,
                        b -> b.backoff(Duration.ofMillis(1), Duration.ofMillis(5)));
                rigs.add(rig);
                rig.link.start();
            }
            for (Rig rig : rigs) {
                await().until(rig.link::isConnected);
                rig.outbox.publish("device.status", data("i", 0));
                await().until(() -> rig.outbox.size() == 0);
            }
            List<String> before = linkThreads();
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < links; i++) {
                Rig rig = rigs.get(i);
                TcpProxy proxy = proxies.get(i);
                done.add(pool.submit(() -> {
                    for (int c = 0; c < cyclesEach; c++) {
                        long sessions = rig.link.status().sessions();
                        proxy.cutAll();
                        await().atMost(Duration.ofSeconds(20))
                                .until(() -> rig.link.status().sessions() > sessions && rig.link.isConnected());
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            long total = 0;
            for (Rig rig : rigs) {
                total += rig.link.status().sessions() - 1;
                // events still flow on the last session
                rig.outbox.publish("device.status", data("i", 1));
                await().until(() -> rig.outbox.size() == 0);
            }
            assertThat(total).isGreaterThanOrEqualTo(1000);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(
                    () -> assertThat(linkThreads()).hasSameSizeAs(before));
        } finally {
            pool.shutdownNow();
            rigs.forEach(Rig::close);
            proxies.forEach(TcpProxy::close);
        }
    }

    /** Threads of the link and of Paho (proxy and recorder threads left out). */
    static List<String> linkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("MQTT") || n.startsWith("hub-") || n.startsWith("outbox-"))
                .filter(n -> !n.contains("rec-"))
                .sorted().toList();
    }

    @Test
    void triesTheBrokersInTurn() {
        String t = newTerminal();
        String dead = "tcp://127.0.0.1:" + Mosquitto.freePort();
        try (Rig rig = new Rig(dir, t, dead, clock, b -> b.uris(List.of(dead, broker.uri())))) {
            rig.link.start();
            await().atMost(Duration.ofSeconds(10)).until(rig.link::isConnected);
            assertThat(rig.link.status().serverUri()).isEqualTo(broker.uri());
            assertThat(rig.link.status().bdSeq()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void refusedCredentialsAreAConfigurationErrorNotAnException() {
        try (Mosquitto secured = Mosquitto.builder().user("t-pw", "right-password").start()) {
            try (Rig rig = new Rig(dir.resolve("a"), "t-pw", secured.uri(), clock,
                    b -> b.credentials("t-pw", "wrong-password"))) {
                rig.link.start();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> rig.link.health().reason() == HealthReason.CONFIGURATION_ERROR);
                assertThat(rig.link.health().message()).contains(secured.uri());
            }
            try (Rig rig = new Rig(dir.resolve("b"), "t-pw", secured.uri(), clock,
                    b -> b.credentials("t-pw", "right-password"))) {
                rig.link.start();
                await().atMost(Duration.ofSeconds(10)).until(rig.link::isConnected);
                assertThat(rig.link.health().reason()).isEqualTo(HealthReason.OK);
            }
        }
    }
}
