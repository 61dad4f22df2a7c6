package cardterm.terminal.config;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.testing.CliCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config check}, {@code selftest} and {@code run} check a config with the same code: what one
 * refuses, all refuse, with exit 2 naming the key, and {@code run} refuses before it writes anything.
 */
class ConfigSameForEveryCommandTest {
    @TempDir
    Path dir;

    /** A valid config but for {@code hub.uri} (no port), its data directory under {@code dir/data}. */
    private Path configWithHubUri(String uri) throws IOException {
        String yaml = ConfigFixtures.minimal(dir)
                .replace("tcp://127.0.0.1:1883", uri)
                .replace("  site: wz-lucheng-01\n", "  site: wz-lucheng-01\n  dataDir: " + dir.resolve("data") + "\n");
        return ConfigFixtures.write(dir, "terminal.yaml", yaml);
    }

    @Test
    void configCheckRefusesAHubUriWithoutAPortNamingHubUri() throws Exception {
        Path f = configWithHubUri("tcp://hub.example");

        CliCapture r = CliCapture.run("config", "check", f.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                f + ": hub.uri[0]: needs a host and a port (tcp://host:1883): tcp://hub.example");
    }

    @Test
    void selftestRefusesItWithExitTwoNamingHubUri() throws Exception {
        Path f = configWithHubUri("tcp://hub.example");

        CliCapture r = CliCapture.run("selftest", "--config", f.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.out()).contains("FAIL config").contains("hub.uri[0]: needs a host and a port");
        assertThat(r.err()).contains(f + ": hub.uri[0]: needs a host and a port (tcp://host:1883): tcp://hub.example");
        assertThat(Files.exists(dir.resolve("data"))).as("selftest wrote the data dir").isFalse();
    }

    @Test
    void runRefusesItWithExitTwoNamingHubUriBeforeWritingAnything() throws Exception {
        Path f = configWithHubUri("tcp://hub.example");
        List<Path> before = files();

        CliCapture r = CliCapture.run("run", "--config", f.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(f + ": hub.uri[0]: needs a host and a port (tcp://host:1883): tcp://hub.example")
                .contains("not started");
        assertThat(Files.exists(dir.resolve("data"))).as("run created the data dir").isFalse();
        assertThat(files()).as("no database, nothing else").isEqualTo(before);
    }

    @Test
    void everyProblemAtOnceInAllThree() throws Exception {
        Path f = configWithHubUri("tcp://hub.example");
        Files.writeString(f, Files.readString(f) + "outbox:\n  maxEvents: 5\n");

        List<String> check = CliCapture.run("config", "check", f.toString()).errLines();
        List<String> run = CliCapture.run("run", "--config", f.toString()).errLines();
        List<String> selftest = CliCapture.run("selftest", "--config", f.toString()).errLines();

        assertThat(check).containsExactly(
                f + ": hub.uri[0]: needs a host and a port (tcp://host:1883): tcp://hub.example",
                f + ": outbox.maxEvents: must be between 1000 and 100000000, got 5");
        assertThat(run.subList(0, 2)).isEqualTo(check);
        assertThat(selftest.subList(0, 2)).isEqualTo(check);
    }

    @Test
    void aTlsFileTheLinkCannotReadIsAConfigProblemNotAStartFailure() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        String yaml = ConfigFixtures.minimal(dir).replace("tcp://127.0.0.1:1883", "ssl://127.0.0.1:8883")
                .replace("  commandKeyFile: command.key\n", "  commandKeyFile: command.key\n  tls:\n    caFile: ca.pem\n");

        // the link reads it when made; the config check reads it the same way, so run never gets that far
        assertThat(ConfigFixtures.lines(ConfigFixtures.parse(dir, yaml)))
                .containsExactly("hub.tls: " + dir.resolve("ca.pem") + ": not a PEM file");
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }
}
