package cardterm.terminal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigResult;
import cardterm.terminal.hub.HubLink;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxSettings;
import cardterm.terminal.testing.CliCapture;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cardterm provision} end to end: bad input (every problem, exit 2, nothing written); a
 * branch from a CSV whose generated password_file and ACL run a real mosquitto, on which the
 * terminal (a real hub link from its generated terminal.yaml) connects and publishes, while a
 * client with its credentials publishing under another site's name or another terminal's id is
 * refused (a subscriber of everything sees nothing of it); a client certificate made with a CA.
 */
class ProvisionTest {
    static final String HUB_PASSWORD = "hub-services-password-0123456789";

    @TempDir
    Path dir;

    @Test
    void badInputListsEveryProblemAndWritesNothing() throws Exception {
        Path out = dir.resolve("out");
        CliCapture c = CliCapture.run("provision", "--site", "Bad_Site", "--terminal", "t-1", "--ca",
                dir.resolve("no-ca.pem").toString(), "--hub", "http://hub:80", "--out", out.toString());
        assertThat(c.exit()).as(c.err()).isEqualTo(2);
        assertThat(c.err()).contains("site 'Bad_Site'").contains("--ca and --ca-key go together")
                .contains("no-ca.pem: no such file").contains("--hub http://hub:80").doesNotContain("Exception");
        assertThat(out).doesNotExist();

        Path csv = dir.resolve("branch.csv");
        Files.writeString(csv, "site,terminal\nsite-a,t-1\nsite-a\nsite-b,t-1\nsite-c,T 2\n");
        c = CliCapture.run("provision", "--csv", csv.toString(), "--hub", "tcp://127.0.0.1:1883", "--out",
                out.toString());
        assertThat(c.exit()).as(c.err()).isEqualTo(2);
        assertThat(c.errLines()).hasSize(3);
        assertThat(c.err()).contains("branch.csv:3: expected site,terminal").contains("branch.csv:4: terminal t-1 is on line 2")
                .contains("branch.csv:5: terminal 'T 2'");
        assertThat(out).doesNotExist();

        assertThat(CliCapture.run("provision", "--out", out.toString()).exit()).isEqualTo(2);
    }

    @Test
    void generatedFilesRunOnARealMosquittoAndPinSiteAndId() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("hub"));
        Files.writeString(out.resolve("hub/services.passwd"),
                MosquittoPassword.line("hub", HUB_PASSWORD, new SecureRandom()) + "\n");
        Path csv = dir.resolve("branch.csv");
        Files.writeString(csv, "site,terminal\nsite-a,t-a1\nsite-a,t-a2\nsite-b,t-b1\n");
        CliCapture c = CliCapture.run("provision", "--csv", csv.toString(), "--hub", "tcp://127.0.0.1:1883",
                "--out", out.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        for (String t : List.of("t-a1", "t-a2", "t-b1")) {
            Path key = out.resolve(t).resolve("command.key");
            assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(key).strip()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.getPosixFilePermissions(out.resolve(t).resolve("hub.password")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(out.resolve("hub/terminals/" + t + ".command.key")))
                    .isEqualTo(Files.readString(key));
            CliCapture check = CliCapture.run("config", "check", out.resolve(t).resolve("terminal.yaml").toString());
            assertThat(check.exit()).as(check.err()).isZero();
        }
        assertThat(Files.readString(out.resolve("t-a1/command.key")))
                .isNotEqualTo(Files.readString(out.resolve("t-a2/command.key")));
        String acl = Files.readString(out.resolve("hub/acl"));
        assertThat(acl).contains("user t-a1\n").contains("topic write cardterm/v1/site-a/t-a1/event/assist\n")
                .contains("topic read cardterm/v1/site-b/t-b1/cmd/+\n").doesNotContain("pattern");
        // a terminal added later keeps the others in the assembled files
        assertThat(CliCapture.run("provision", "--site", "site-b", "--terminal", "t-b2", "--hub",
                "tcp://127.0.0.1:1883", "--out", out.toString()).exit()).isZero();
        assertThat(Files.readString(out.resolve("hub/password_file")).lines())
                .extracting(l -> l.split(":")[0]).containsExactly("hub", "t-a1", "t-a2", "t-b1", "t-b2");
        CliCapture again = CliCapture.run("provision", "--site", "site-b", "--terminal", "t-b2", "--hub",
                "tcp://127.0.0.1:1883", "--out", out.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("t-b2: already provisioned");

        try (Mosquitto broker = Mosquitto.builder().passwordFile(out.resolve("hub/password_file"))
                        .aclFile(out.resolve("hub/acl")).start();
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "hub-services", "cardterm/v1/#", false,
                        o -> credentials(o, "hub", HUB_PASSWORD))) {
            // the terminal: a real hub link made from its generated terminal.yaml
            ConfigResult r = ConfigLoader.load(out.resolve("t-a1/terminal.yaml"),
                    Map.of("CARDTERM_HUB_URI", broker.uri()));
            assertThat(r.problems().isEmpty()).as("%s", r.problems()).isTrue();
            HubSettings settings = ((ConfigResult.Valid) r).config().hub().toBuilder()
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
            Clock clock = Clock.systemDefaultZone();
            try (Database db = Database.open(dir.resolve("data-a1"));
                    Outbox outbox = Outbox.open(db, OutboxSettings.of("site-a", "t-a1"), clock)) {
                HubLink link = new HubLink(settings, db, outbox, new CommandRegistry(), clock, "provision-test");
                try {
                    link.start();
                    await().atMost(Duration.ofSeconds(20)).until(link::isConnected);
                    ObjectNode data = new ObjectMapper().createObjectNode().put("n", 1);
                    outbox.publish("device.status", data);
                    await().until(() -> !hub.on("cardterm/v1/site-a/t-a1/event/device").isEmpty());
                    await().until(() -> !hub.on("cardterm/v1/site-a/t-a1/state").isEmpty());
                } finally {
                    link.close();
                }
            }

            // t-a1's credentials, publishing where it must not
            String a1 = Files.readString(out.resolve("t-a1/hub.password")).strip();
            try (MqttRecorder rogue = MqttRecorder.start(broker.uri(), "rogue-a1", null, false,
                    o -> credentials(o, "t-a1", a1))) {
                byte[] body = "{\"rogue\":true}".getBytes(StandardCharsets.UTF_8);
                List<String> refused = List.of(
                        "cardterm/v1/site-b/t-a1/event/device", // another site, its own id
                        "cardterm/v1/site-zz/t-a1/state", // a site that does not exist
                        "cardterm/v1/site-a/t-a2/event/device", // another terminal of its site
                        "cardterm/v1/site-b/t-b1/state", // another terminal of another site
                        "cardterm/v1/site-a/t-a1/cmd/issue", // commands come from the hub only
                        "cardterm/v1/site-a/t-a1/event/bogus"); // not a kind of the contract
                for (String topic : refused) {
                    rogue.publish(topic, body, 1, false);
                }
                rogue.publish("cardterm/v1/site-a/t-a1/event/audit", body, 1, false); // its own: allowed
                await().until(() -> !hub.on("cardterm/v1/site-a/t-a1/event/audit").isEmpty());
                assertThat(hub.messages(m -> m.text().contains("rogue"))).extracting(MqttRecorder.Message::topic)
                        .containsExactly("cardterm/v1/site-a/t-a1/event/audit");
            }
            // a wrong password, or another terminal's, does not get in
            assertThat(connects(broker.uri(), "t-a1", Files.readString(out.resolve("t-b1/hub.password")).strip()))
                    .isFalse();
            assertThat(connects(broker.uri(), "t-a1", a1)).isTrue();
        }
    }

    @Test
    void aCaGivesAClientCertificateWithTheTerminalIdAsCommonName() throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=cardterm test CA");
        Path out = dir.resolve("out");
        CliCapture c = CliCapture.run("provision", "--site", "site-a", "--terminal", "t-0042", "--ca",
                dir.resolve("ca.pem").toString(), "--ca-key", dir.resolve("ca.key").toString(), "--out", out.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        Path t = out.resolve("t-0042");
        assertThat(Files.getPosixFilePermissions(t.resolve("terminal.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(run(t, "openssl", "verify", "-CAfile", dir.resolve("ca.pem").toString(), "terminal.pem"))
                .contains("OK");
        String text = run(t, "openssl", "x509", "-in", "terminal.pem", "-noout", "-subject", "-ext", "extendedKeyUsage");
        assertThat(text).contains("CN = t-0042").contains("OU = site-a").contains("TLS Web Client Authentication");
        assertThat(Files.readString(t.resolve("terminal.yaml"))).contains("ssl://").contains("certFile: terminal.pem");
        CliCapture check = CliCapture.run("config", "check", t.resolve("terminal.yaml").toString());
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(out.resolve("hub/terminals/t-0042.pem")).exists();
        assertThat(dir.resolve("ca.srl")).doesNotExist();
    }

    static void credentials(MqttConnectOptions o, String user, String password) {
        o.setUserName(user);
        o.setPassword(password.toCharArray());
    }

    static boolean connects(String uri, String user, String password) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(uri, "probe-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        credentials(o, user, password);
        try {
            client.connect(o).waitForCompletion(10_000);
            client.disconnect().waitForCompletion(5_000);
            return true;
        } catch (MqttException e) {
            return false;
        } finally {
            client.close(true);
        }
    }

    static String run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).directory(cwd.toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }
}
