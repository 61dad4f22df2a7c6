package cardterm.terminal.config;

import static cardterm.terminal.config.ConfigFixtures.parse;
import static cardterm.terminal.config.ConfigFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.config.ConfigLoader.FileChecks;
import cardterm.terminal.config.TerminalConfig.ConcessionType;
import cardterm.terminal.config.TerminalConfig.GpioProvider;
import cardterm.terminal.config.TerminalConfig.Pull;
import cardterm.terminal.config.TerminalConfig.SerialDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, the simulation config, round trips and the record helpers. */
class TerminalConfigTest {
    @TempDir
    Path dir;

    @Test
    void minimalConfigGetsEveryDefault() throws Exception {
        TerminalConfig c = valid(parse(dir, ConfigFixtures.minimal(dir)));

        assertThat(c.terminal().dataDir()).isEqualTo(Path.of("/var/lib/cardterm"));
        assertThat(c.terminal().timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(c.hub().commandKeyFile()).isEqualTo(dir.resolve("command.key"));
        assertThat(c.hub().keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.hub().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.hub().reconnect()).isEqualTo(TerminalConfig.Reconnect.DEFAULT);
        assertThat(c.hub().inflightWindow()).isEqualTo(32);
        assertThat(c.hub().tls()).isEqualTo(TerminalConfig.Tls.NONE);
        assertThat(c.outbox().maxEvents()).isEqualTo(1_000_000);
        assertThat(c.health()).isEqualTo(new TerminalConfig.Health(Duration.ofSeconds(60), Duration.ofSeconds(60)));
        assertThat(c.printer().port()).isEqualTo(new SerialDevice("/dev/ttyUSB0"));
        assertThat(c.printer().baud()).isEqualTo(115_200);
        assertThat(c.printer().pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.printer().timeouts()).isEqualTo(
                new TerminalConfig.PrinterTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(120)));
        assertThat(c.gpio()).isEqualTo(new TerminalConfig.Gpio(GpioProvider.GPIOD, "gpiochip0"));
        assertThat(c.posts()).isEmpty();
        assertThat(c.buttons()).isEmpty();
        assertThat(c.supervisors()).isEmpty();
        assertThat(c.assist()).isEqualTo(new TerminalConfig.Assist(Duration.ofMillis(30), Duration.ofSeconds(3),
                Duration.ofSeconds(60), Duration.ofSeconds(60)));
        assertThat(c.assist().escalateToSupervisor()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.issuance().elderlyAge()).isEqualTo(55);
        assertThat(c.issuance().concessionByDefault()).isTrue();
        assertThat(c.issuance().promisedDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.issuance().cardFont()).isEmpty();
        assertThat(c.logging().level()).isEqualTo("INFO");
    }

    @Test
    void defaultConcessionBands() throws Exception {
        TerminalConfig.Issuance i = valid(parse(dir, ConfigFixtures.minimal(dir))).issuance();

        assertThat(i.concessionFor(59)).isEmpty();
        assertThat(i.concessionFor(60)).contains(ConcessionType.DISCOUNT);
        assertThat(i.concessionFor(69)).contains(ConcessionType.DISCOUNT);
        assertThat(i.concessionFor(70)).contains(ConcessionType.FREE);
        assertThat(i.concessionFor(104)).contains(ConcessionType.FREE);
        assertThat(i.isElderly(54)).isFalse();
        assertThat(i.isElderly(55)).isTrue();
    }

    @Test
    void anEmptyConcessionListMeansNone() throws Exception {
        TerminalConfig c = valid(parse(dir, ConfigFixtures.minimal(dir) + "issuance:\n  concessions: []\n"));
        assertThat(c.issuance().concessions()).isEmpty();
        assertThat(c.issuance().concessionFor(80)).isEmpty();
    }

    @Test
    void buttonDefaultsAndLookups() throws Exception {
        TerminalConfig c = valid(parse(dir, ConfigFixtures.withButton(dir)));

        TerminalConfig.Button b = c.button("call-1").orElseThrow();
        assertThat(b.pull()).isEqualTo(Pull.UP);
        assertThat(b.activeLow()).isTrue();
        assertThat(b.lamp().pin()).isEqualTo(27);
        assertThat(b.buzzer().pin()).isEqualTo(22);
        assertThat(c.post(b.post())).isPresent();
        assertThat(c.isSupervisor("S9001")).isTrue();
        assertThat(c.isSupervisor("S1001")).isFalse();
    }

    @Test
    void forSimulationIsCompleteAndValid() throws Exception {
        TerminalConfig sim = TerminalConfig.forSimulation(dir.resolve("work"), "tcp://127.0.0.1:18830");

        assertThat(sim.terminal().id()).isEqualTo("sim-01");
        assertThat(sim.terminal().site()).isEqualTo("sim");
        assertThat(sim.gpio().provider()).isEqualTo(GpioProvider.MOCK);
        assertThat(sim.buttons()).extracting(TerminalConfig.Button::id, TerminalConfig.Button::location)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("call-1", "wheelchair counter"),
                        org.assertj.core.groups.Tuple.tuple("call-2", "waiting seats"));
        assertThat(sim.posts().get(0).a()).isNotEmpty();
        assertThat(sim.posts().get(0).b()).isNotEmpty();
        assertThat(sim.supervisors()).isNotEmpty();
        assertThat(Files.readString(sim.hub().commandKeyFile()).strip()).hasSizeGreaterThanOrEqualTo(32);

        // valid = it passes the same check as a file, with the referenced files checked
        Path file = ConfigFixtures.write(dir, "sim.yaml", ConfigWriter.toYaml(sim));
        ConfigResult back = ConfigLoader.load(file, Map.of(), FileChecks.CHECK);
        assertThat(valid(back)).isEqualTo(sim);
    }

    @Test
    void forSimulationKeepsAnExistingKey() {
        TerminalConfig first = TerminalConfig.forSimulation(dir, "tcp://127.0.0.1:1883");
        String key = readKey(first);
        TerminalConfig second = TerminalConfig.forSimulation(dir, "tcp://127.0.0.1:1883");
        assertThat(readKey(second)).isEqualTo(key);
    }

    @Test
    void exampleRoundTripsThroughTheWriter() throws Exception {
        Path example = ConfigFixtures.top().resolve("config/terminal.yaml");
        TerminalConfig c = valid(ConfigLoader.load(example, Map.of(), FileChecks.SKIP));

        Path file = ConfigFixtures.write(dir, "again.yaml", ConfigWriter.toYaml(c));
        assertThat(valid(ConfigLoader.load(file, Map.of(), FileChecks.SKIP))).isEqualTo(c);
        assertThat(c.hub().tls().hasClientCertificate()).isTrue();
        assertThat(c.issuance().cardFont()).as("the bundled card font by default").isEmpty();
        assertThat(c.hub().username()).isEqualTo(Optional.of("t-0042"));
    }

    @Test
    void readerSelectors() {
        TerminalConfig.ReaderSelector exact = new TerminalConfig.ReaderSelector("Virtual PCD 00 00");
        TerminalConfig.ReaderSelector regex = new TerminalConfig.ReaderSelector("/PCD 00 0[1]/");

        assertThat(exact.matches("Virtual PCD 00 00")).isTrue();
        assertThat(exact.matches("Virtual PCD 00 01")).isFalse();
        assertThat(regex.isRegex()).isTrue();
        assertThat(regex.matches("Virtual PCD 00 01")).isTrue();
        assertThat(regex.matches("Virtual PCD 00 00")).isFalse();
    }

    @Test
    void durations() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("3s")).contains(Duration.ofSeconds(3));
        assertThat(Durations.parse("10m")).contains(Duration.ofMinutes(10));
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("60")).isEmpty();
        assertThat(Durations.parse("1.5s")).isEmpty();
        assertThat(Durations.parse("-1s")).isEmpty();
        assertThat(Durations.parse("1d")).isEmpty();
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    }

    private static String readKey(TerminalConfig c) {
        try {
            return Files.readString(c.hub().commandKeyFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
