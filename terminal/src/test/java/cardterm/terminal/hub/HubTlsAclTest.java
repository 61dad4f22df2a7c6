package cardterm.terminal.hub;

import cardterm.terminal.testing.SecretFiles;
import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.event.EventKind;
import cardterm.terminal.event.HubTime;
import cardterm.terminal.provision.TerminalAcl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.health.HealthReason;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxSettings;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs mosquitto with the example of {@code config/mosquitto/} (TLS, client certificates, the
 * per-terminal ACL) on throwaway certificates made with openssl, and shows that the hub link
 * works over it while terminal A can neither publish under terminal B's topics nor read B's
 * commands. The three client keys come in the three PEM forms the link reads: PKCS#8 RSA, SEC1
 * EC, PKCS#1 RSA.
 */
class HubTlsAclTest {
    static final String SITE = "wz-lucheng-01";
    static final String KEY_TEXT = "acl-test-command-key-0123456789-abcdef";

    @TempDir
    static Path certs;

    @TempDir
    Path dir;

    final Clock clock = Clock.systemDefaultZone();

    @BeforeAll
    static void makeCertificates() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-sha256", "-days", "2", "-nodes", "-keyout", "ca.key",
                "-out", "ca.crt", "-subj", "/CN=cardterm test CA");
        Files.writeString(certs.resolve("server.ext"), "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Files.writeString(certs.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                "/CN=localhost");
        sign("server", "server.ext");
        // terminal A: PKCS#8 RSA (OpenSSL 3's default)
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "t-a.key", "-out", "t-a.csr", "-subj", "/CN=t-a");
        sign("t-a", "client.ext");
        // terminal B: SEC1 EC ("EC PRIVATE KEY")
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "t-b.key");
        openssl("req", "-new", "-key", "t-b.key", "-out", "t-b.csr", "-subj", "/CN=t-b");
        sign("t-b", "client.ext");
        // the hub: PKCS#1 RSA ("RSA PRIVATE KEY")
        openssl("genrsa", "-traditional", "-out", "hub.key", "2048");
        openssl("req", "-new", "-key", "hub.key", "-out", "hub.csr", "-subj", "/CN=hub");
        sign("hub", "client.ext");
        SecretFiles.write(certs.resolve("command.key"), KEY_TEXT + "\n");
        assertThat(Files.readString(certs.resolve("t-a.key"))).contains("BEGIN PRIVATE KEY");
        assertThat(Files.readString(certs.resolve("t-b.key"))).contains("BEGIN EC PRIVATE KEY");
        assertThat(Files.readString(certs.resolve("hub.key"))).contains("BEGIN RSA PRIVATE KEY");
    }

    static void sign(String name, String ext) throws Exception {
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-sha256", "-extfile", ext, "-out", name + ".crt");
    }

    static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("openssl is not installed (apt-get install -y openssl)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), out).isZero();
    }

    /** The repository's config/mosquitto, found from the module directory upwards. */
    static Path exampleDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("config/mosquitto");
            if (Files.isRegularFile(candidate.resolve("mosquitto.conf"))) {
                return candidate;
            }
        }
        throw new AssertionError("config/mosquitto/mosquitto.conf not found above " + Path.of("").toAbsolutePath());
    }

    /** The example configuration with this test's port, certificates and directories. */
    static String exampleConfig() throws IOException {
        Path example = exampleDir();
        String conf = Files.readString(example.resolve("mosquitto.conf"));
        String[][] swaps = {
            {"\nlistener 8883\n", "\nlistener ${port} 127.0.0.1\n"},
            {"/etc/mosquitto/certs/", certs.toAbsolutePath() + "/"},
            {"acl_file /etc/mosquitto/acl", "acl_file " + certs.resolve("acl").toAbsolutePath()},
        };
        // the example's ACL with the blocks `cardterm provision` makes for this test's terminals
        Files.writeString(certs.resolve("acl"), Files.readString(example.resolve("acl")) + "\n"
                + TerminalAcl.block(SITE, "t-a") + TerminalAcl.block(SITE, "t-b"));
        for (String[] s : swaps) {
            assertThat(conf).as("the example config has %s", s[0].strip()).contains(s[0]);
            conf = conf.replace(s[0], s[1]);
        }
        // persistence comes from Debian's stock mosquitto.conf, which includes the example
        return conf + "\npersistence true\npersistence_location ${dir}/\nuser " + System.getProperty("user.name") + "\n";
    }

    SSLContext tls(String who) throws Exception {
        return PemTls.context(certs.resolve("ca.crt"), certs.resolve(who + ".crt"), certs.resolve(who + ".key"));
    }

    MqttRecorder client(Mosquitto broker, String who, String clientId, String filter) throws Exception {
        SSLContext ctx = tls(who);
        return MqttRecorder.start(broker.uri(), clientId, filter, false, o -> {
            o.setSocketFactory(ctx.getSocketFactory());
            o.setHttpsHostnameVerificationEnabled(true);
        });
    }

    /** A terminal with its own database, outbox and link over TLS with its certificate. */
    final class Terminal implements AutoCloseable {
        final Database db;
        final Outbox outbox;
        final HubLink link;
        final Topics topics;

        Terminal(String id, String uri) {
            db = Database.open(dir.resolve(id));
            outbox = Outbox.open(db, OutboxSettings.of(SITE, id), clock);
            topics = new Topics(SITE, id);
            HubSettings settings = HubSettings.builder(SITE, id).uri(uri).keepAlive(Duration.ofSeconds(5))
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .tls(certs.resolve("ca.crt"), certs.resolve(id + ".crt"), certs.resolve(id + ".key"))
                    .commandKeyFile(certs.resolve("command.key")).build();
            link = new HubLink(settings, db, outbox, new CommandRegistry(), clock, "acl-test");
        }

        @Override
        public void close() {
            link.close();
            outbox.close();
            db.close();
        }
    }

    static byte[] rebirth(String requestId, String terminal) {
        String body = "{\"requestId\":\"" + requestId + "\",\"issuedAt\":\"" + HubTime.format(HubTime.now(
                Clock.systemDefaultZone())) + "\",\"terminal\":\"" + terminal
                + "\",\"name\":\"rebirth\",\"args\":{}}";
        return CommandVerifier.sign(KEY_TEXT.getBytes(StandardCharsets.UTF_8), body);
    }

    @Test
    void eachTerminalIsConfinedToItsOwnSubtree() throws Exception {
        try (Mosquitto broker = Mosquitto.builder().rawConfig(exampleConfig(), true).tlsHost("localhost").start();
                MqttRecorder hub = client(broker, "hub", "hub-services", "cardterm/v1/#");
                Terminal a = new Terminal("t-a", broker.uri());
                Terminal b = new Terminal("t-b", broker.uri())) {
            a.link.start();
            b.link.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> a.link.isConnected() && b.link.isConnected());
            await().until(() -> hub.on(a.topics.state()).size() == 1 && hub.on(b.topics.state()).size() == 1);

            // the links work over TLS under the ACL: events out, commands in, replies out
            a.outbox.publish("device.status", Rig.data("n", 1));
            await().until(() -> hub.on(a.topics.event(EventKind.DEVICE)).size() == 1);
            hub.publish(a.topics.command("rebirth"), rebirth("r-a", "t-a"), 1, false);
            await().until(() -> hub.on(a.topics.reply()).size() == 1);
            assertThat(hub.on(a.topics.reply()).get(0).json().get("ok").asBoolean()).isTrue();

            // A's certificate, another client: try B's topics
            try (MqttRecorder intruder = client(broker, "t-a", "intruder", null)) {
                // mosquitto 2.0 grants these subscriptions but delivers nothing the ACL refuses
                intruder.client().subscribe(b.topics.commandFilter(), 1).waitForCompletion(5_000);
                IMqttToken everything = intruder.client().subscribe("cardterm/v1/#", 1);
                everything.waitForCompletion(5_000);
                IMqttToken own = intruder.client().subscribe(a.topics.commandFilter(), 1);
                own.waitForCompletion(5_000);
                assertThat(own.getGrantedQos()).containsExactly(1);

                byte[] forged = "{\"forged\":true}".getBytes(StandardCharsets.UTF_8);
                intruder.publish(b.topics.event(EventKind.ISSUANCE), forged, 1, false);
                intruder.publish(b.topics.state(), forged, 1, true);
                intruder.publish(b.topics.reply(), forged, 1, false);
                // its own id under another site's name
                intruder.publish(new Topics("wz-other-99", "t-a").event(EventKind.DEVICE), forged, 1, false);
                intruder.publish(new Topics("wz-other-99", "t-a").state(), forged, 1, true);
                intruder.publish(a.topics.event(EventKind.AUDIT), "{\"marker\":1}".getBytes(StandardCharsets.UTF_8),
                        1, false);
                await().until(() -> hub.on(a.topics.event(EventKind.AUDIT)).stream()
                        .anyMatch(m -> m.text().contains("marker")));
                assertThat(hub.messages(m -> m.text().contains("forged"))).isEmpty();

                // a command to B reaches B, not A's certificate
                hub.publish(b.topics.command("rebirth"), rebirth("r-b", "t-b"), 1, false);
                await().until(() -> hub.on(b.topics.reply()).size() == 1);
                hub.publish(a.topics.command("rebirth"), rebirth("r-a2", "t-a"), 1, false);
                await().until(() -> intruder.on(a.topics.command("rebirth")).size() == 1);
                assertThat(intruder.messages(m -> m.topic().startsWith(b.topics.root()))).isEmpty();
            }
            // B's retained state is still B's own
            try (MqttRecorder late = client(broker, "hub", "hub-late", b.topics.state())) {
                await().until(() -> late.count() == 1);
                assertThat(late.messages().get(0).json().get("online").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void theBrokerHostNameIsChecked() throws Exception {
        try (Mosquitto broker = Mosquitto.builder().rawConfig(exampleConfig(), true).tlsHost("localhost").start();
                Terminal a = new Terminal("t-a", "ssl://127.0.0.1:" + broker.port())) {
            // the server certificate names localhost only
            a.link.start();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> a.link.health().reason() == HealthReason.CONFIGURATION_ERROR);
            assertThat(a.link.isConnected()).isFalse();
            assertThat(a.link.health().message()).containsIgnoringCase("subject alternative");
        }
    }
}
