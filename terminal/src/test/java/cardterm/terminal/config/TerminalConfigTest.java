package cardterm.terminal.config;

import static cardterm.terminal.config.ConfigFixtures.parse;
import static cardterm.terminal.config.ConfigFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.chip.Concession.Type;
import cardterm.devices.gpio.ActiveLevel;
import cardterm.devices.gpio.GpioSettings;
import cardterm.devices.gpio.GpioSettings.Provider;
import cardterm.devices.gpio.Pull;
import cardterm.devices.pcsc.ReaderSelector;
import cardterm.devices.printer.PrinterSettings;
import cardterm.devices.printer.PrinterSettings.SerialDevice;
import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.config.ConfigLoader.FileChecks;
import cardterm.terminal.health.HealthSettings;
import cardterm.terminal.issuance.IssuanceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
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
        assertThat(c.hub().backoffInitial()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.hub().backoffMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.hub().inflightWindow()).isEqualTo(32);
        assertThat(c.hub().caFile()).isNull();
        assertThat(c.hub().clientCertFile()).isNull();
        assertThat(c.hub().clientKeyFile()).isNull();
        assertThat(c.outbox().maxEntries()).isEqualTo(1_000_000);
        assertThat(c.health()).isEqualTo(new HealthSettings(Duration.ofSeconds(60), Duration.ofSeconds(60)));
        assertThat(c.printer().port()).isEqualTo(new SerialDevice("/dev/ttyUSB0"));
        assertThat(c.printer().baud()).isEqualTo(115_200);
        assertThat(c.printer().pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.printer().timeouts()).isEqualTo(
                new PrinterSettings.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(120)));
        assertThat(c.gpio()).isEqualTo(new GpioSettings(Provider.GPIOD, "gpiochip0"));
        assertThat(c.assist().posts()).isEmpty();
        assertThat(c.assist().buttons()).isEmpty();
        assertThat(c.assist().supervisors()).isEmpty();
        AssistConfig.Timing timing = c.assist().timing();
        assertThat(List.of(timing.debounce(), timing.longPress(), timing.stuckAfter(), timing.escalateToB()))
                .isEqualTo(List.of(Duration.ofMillis(30), Duration.ofSeconds(3), Duration.ofSeconds(60),
                        Duration.ofSeconds(60)));
        assertThat(c.assist().timing().escalateToSupervisor()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.issuance().elderlyAge()).isEqualTo(55);
        assertThat(c.issuance().concessionByDefault()).isTrue();
        assertThat(c.issuance().promisedDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.issuance().cardFont()).isEmpty();
        assertThat(c.logging().level()).isEqualTo("INFO");
    }

    @Test
    void defaultConcessionBands() throws Exception {
        IssuanceSettings i = valid(parse(dir, ConfigFixtures.minimal(dir))).issuance();

        assertThat(i.concessionFor(59)).isEmpty();
        assertThat(i.concessionFor(60)).contains(Type.DISCOUNT);
        assertThat(i.concessionFor(69)).contains(Type.DISCOUNT);
        assertThat(i.concessionFor(70)).contains(Type.FREE);
        assertThat(i.concessionFor(104)).contains(Type.FREE);
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

        AssistConfig.ButtonConfig b = c.assist().button("call-1");
        assertThat(b.wiring().pull()).isEqualTo(Pull.UP);
        assertThat(b.wiring().buttonActive()).isEqualTo(ActiveLevel.LOW);
        assertThat(b.wiring().lampPin()).isEqualTo(27);
        assertThat(b.wiring().buzzerPin()).isEqualTo(22);
        assertThat(c.assist().posts()).containsKey(b.post());
        assertThat(c.assist().isSupervisor("S9001")).isTrue();
        assertThat(c.assist().isSupervisor("S1001")).isFalse();
    }

    @Test
    void forSimulationIsCompleteAndValid() throws Exception {
        TerminalConfig sim = TerminalConfig.forSimulation(dir.resolve("work"), "tcp://127.0.0.1:18830");

        assertThat(sim.terminal().id()).isEqualTo("sim-01");
        assertThat(sim.terminal().site()).isEqualTo("sim");
        assertThat(sim.gpio().provider()).isEqualTo(Provider.MOCK);
        assertThat(sim.assist().buttons()).extracting(AssistConfig.ButtonConfig::id, AssistConfig.ButtonConfig::location)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("call-1", "wheelchair counter"),
                        org.assertj.core.groups.Tuple.tuple("call-2", "waiting seats"));
        assertThat(sim.assist().posts().values().iterator().next().aStaff()).isNotEmpty();
        assertThat(sim.assist().posts().values().iterator().next().bStaff()).isNotEmpty();
        assertThat(sim.assist().supervisors()).isNotEmpty();
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
        assertThat(c.hub().clientCertFile() != null && c.hub().clientKeyFile() != null).isTrue();
        assertThat(c.issuance().cardFont()).as("the bundled card font by default").isEmpty();
        assertThat(Optional.ofNullable(c.hub().username())).isEqualTo(Optional.of("t-0042"));
    }

    @Test
    void readerSelectors() {
        ReaderSelector exact = ReaderSelector.of("Virtual PCD 00 00");
        ReaderSelector regex = ReaderSelector.of("/PCD 00 0[1]/");

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
