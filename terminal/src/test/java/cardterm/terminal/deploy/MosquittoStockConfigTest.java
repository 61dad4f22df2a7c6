package cardterm.terminal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.testing.Mosquitto;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example broker configuration (config/mosquitto) installed as its README says, into the
 * conf.d of Debian's stock mosquitto: the stock /etc/mosquitto/mosquitto.conf is copied with only
 * its paths moved into a temporary directory (pid file, persistence, log, include_dir), the
 * example goes into that conf.d with this test's port and throwaway certificates; the broker
 * starts, takes a terminal's retained state over TLS with a client certificate, gives it to the
 * hub, and saves it where the stock file says. (Before, the example repeated the stock file's
 * persistence_location and mosquitto refused to start.)
 */
class MosquittoStockConfigTest {
    static final Path STOCK = Path.of("/etc/mosquitto/mosquitto.conf");

    @TempDir
    Path dir;

    void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        DebPackageTest.Result r = DebPackageTest.run(dir.resolve("certs"), cmd);
        assertThat(r.exit()).as("openssl " + String.join(" ", args) + " (apt-get install openssl):\n" + r.out()).isZero();
    }

    void certificate(String name, String ext) throws IOException {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-sha256", "-extfile", ext, "-out", name + ".crt");
    }

    @Test
    void theExampleStartsInTheStockConfDAndCarriesATerminalsState() throws Exception {
        assertThat(STOCK).as("Debian's stock mosquitto.conf (apt-get install mosquitto)").isRegularFile();
        Path certs = Files.createDirectories(dir.resolve("certs"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-sha256", "-days", "2", "-nodes", "-keyout", "ca.key", "-out",
                "ca.crt", "-subj", "/CN=cardterm test CA");
        Files.writeString(certs.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        Files.writeString(certs.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        certificate("server", "server.ext");
        certificate("t-0042", "client.ext");
        certificate("hub", "client.ext");

        Path example = LauncherTest.top().resolve("config/mosquitto");
        String stock = Files.readString(STOCK);
        String[][] stockSwaps = {
            {"pid_file /run/mosquitto/mosquitto.pid", "pid_file ${dir}/mosquitto.pid"},
            {"persistence_location /var/lib/mosquitto/", "persistence_location ${dir}/"},
            {"log_dest file /var/log/mosquitto/mosquitto.log", "log_dest stderr"},
            {"include_dir /etc/mosquitto/conf.d", "include_dir ${dir}/conf.d"},
        };
        for (String[] s : stockSwaps) {
            assertThat(stock).as("the stock file has " + s[0]).contains(s[0]);
            stock = stock.replace(s[0], s[1]);
        }
        String conf = Files.readString(example.resolve("mosquitto.conf"));
        String[][] exampleSwaps = {
            {"\nlistener 8883\n", "\nlistener ${port} 127.0.0.1\n"},
            {"/etc/mosquitto/certs/", certs + "/"},
            {"acl_file /etc/mosquitto/acl", "acl_file " + example.resolve("acl")},
        };
        for (String[] s : exampleSwaps) {
            assertThat(conf).as("the example has " + s[0].strip()).contains(s[0]);
            conf = conf.replace(s[0], s[1]);
        }
        Path brokerDir = dir.resolve("broker");
        Path confD = Files.createDirectories(brokerDir.resolve("conf.d"));
        int port = Mosquitto.freePort();
        Files.writeString(brokerDir.resolve("mosquitto.conf"), stock.replace("${dir}", brokerDir.toString()));
        Files.writeString(confD.resolve("cardterm.conf"), conf.replace("${port}", Integer.toString(port)));
        // the test's own addition: stay the user that owns the temporary files (the stock broker
        // runs as user mosquitto, which owns /var/lib/mosquitto)
        Files.writeString(confD.resolve("zz-test.conf"), "user " + System.getProperty("user.name") + "\n");

        Path log = brokerDir.resolve("broker.log");
        Process broker = new ProcessBuilder(Mosquitto.binary().toString(), "-c", brokerDir.resolve("mosquitto.conf")
                .toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !broker.isAlive() || accepts(port));
            assertThat(broker.isAlive()).as("mosquitto with the stock file and the example:\n" + Files.readString(log))
                    .isTrue();
            String topic = "cardterm/v1/wz-lucheng-01/t-0042/state";
            DebPackageTest.Result pub = DebPackageTest.run(certs, List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "--cafile", "ca.crt", "--cert", "t-0042.crt", "--key", "t-0042.key", "-i",
                    "t-0042", "-q", "1", "-r", "-t", topic, "-m", "{\"online\":true}"));
            assertThat(pub.exit()).as("mosquitto_pub (apt-get install mosquitto-clients): " + pub.out()).isZero();
            DebPackageTest.Result sub = DebPackageTest.run(certs, List.of("mosquitto_sub", "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "--cafile", "ca.crt", "--cert", "hub.crt", "--key", "hub.key", "-i", "hub-1",
                    "-t", "cardterm/v1/#", "-v", "-C", "1", "-W", "10"));
            assertThat(sub.exit()).as(sub.out() + "\nbroker:\n" + Files.readString(log)).isZero();
            assertThat(sub.out().strip()).isEqualTo(topic + " {\"online\":true}");
        } finally {
            broker.destroy();
            assertThat(broker.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(brokerDir.resolve("mosquitto.db")).as("persistence where the stock file puts it").isRegularFile();
        // config errors read "Error: ..." (the readiness probe's plain connect makes an OpenSSL error line)
        assertThat(Files.readString(log)).doesNotContain("Error: ").contains("Config loaded from");
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
