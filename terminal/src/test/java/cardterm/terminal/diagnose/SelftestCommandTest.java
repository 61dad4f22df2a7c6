package cardterm.terminal.diagnose;

import cardterm.terminal.testing.SecretFiles;
import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.chip.sim.SimulatedSam;
import cardterm.devices.testing.Pcscd;
import cardterm.devices.testing.VpcdSlot;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterServer;
import cardterm.terminal.cli.CardtermMain;
import cardterm.terminal.testing.Mosquitto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cardterm selftest} on real parts: pcscd with the vpcd readers and the simulated SAM, the
 * printer simulator speaking ecl over TCP, mosquitto with a password file, Pi4J's mock GPIO.
 */
class SelftestCommandTest {
    static final String KEY = "0123456789abcdef0123456789abcdef0123";
    static final VpcdSlot SAM = VpcdSlot.samSlot();
    static final ObjectMapper JSON = new ObjectMapper();
    static Mosquitto broker;
    static EclPrinterServer printer;

    @TempDir
    Path dir;

    @BeforeAll
    static void rig() throws IOException {
        Pcscd.ensureRunning();
        SAM.insertAndWait(SimulatedSam.withTestKey());
        broker = Mosquitto.builder().user("t-0042", "right-password").start();
        printer = new EclPrinterServer(new EclPrinterModel(EclPrinterModel.Settings.colour()), 0.01);
        printer.serveTcp(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void unrig() {
        SAM.removeAndWait();
        if (printer != null) {
            printer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    Path config(String password, Path dataDir) throws IOException {
        return config(password, dataDir, VpcdSlot.SAM_READER);
    }

    Path config(String password, Path dataDir, String samReader) throws IOException {
        SecretFiles.write(dir.resolve("command.key"), KEY + "\n");
        SecretFiles.write(dir.resolve("hub.password"), password + "\n");
        Files.createDirectories(dataDir);
        String yaml = """
                terminal:
                  id: t-0042
                  site: wz-lucheng-01
                  dataDir: %s
                hub:
                  uri: %s
                  username: t-0042
                  passwordFile: hub.password
                  connectTimeout: 3s
                  commandKeyFile: command.key
                reader:
                  card: /Virtual PCD 00 00/
                  sam: %s
                printer:
                  port: tcp://127.0.0.1:%d
                gpio:
                  provider: mock
                posts:
                  - name: hall
                    a: [S1001]
                    b: [S2001]
                supervisors: [S9001]
                buttons:
                  - id: call-1
                    pin: 17
                    location: wheelchair counter
                    post: hall
                    lamp: {pin: 27}
                    buzzer: {pin: 22}
                """.formatted(dataDir, broker.uri(), samReader, printer.tcpPort());
        Path f = dir.resolve("terminal.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    record Run(int exit, String out, String err) {}

    static Run selftest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CardtermMain.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "selftest";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Run(cl.execute(all), out.toString(), err.toString());
    }

    @Test
    void everyCheckPassesOnAHealthyTerminal() throws IOException {
        Run r = selftest("--config", config("right-password", dir.resolve("data")).toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS config").contains("PASS data-dir").contains("PASS readers")
                .contains("PASS sam").contains("PASS printer").contains("PASS buttons").contains("PASS broker")
                .contains("PASS clock").contains("PASS cjk-font").contains("all 9 checks passed")
                .contains("SAM in " + VpcdSlot.SAM_READER + " answers 9000").contains("connected as user t-0042");
    }

    @Test
    void everyFailureIsListedWithAHintAndExit1() throws IOException {
        // no SAM where reader.sam points: the encoder slot, which holds no card
        Path cfg = config("wrong-password", dir.resolve("data"), VpcdSlot.CARD_READER);
        printer.printer().openCover();
        try {
            Run r = selftest("--config", cfg.toString(), "--json");
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
            JsonNode doc = JSON.readTree(r.out());
            assertThat(doc.path("passed").asBoolean()).isFalse();
            assertThat(doc.path("failed").asInt()).isEqualTo(3);
            JsonNode checks = doc.path("checks");
            assertThat(checks.size()).isEqualTo(9);
            checks.forEach(c -> {
                String name = c.path("check").asText();
                boolean shouldFail = List.of("sam", "printer", "broker").contains(name);
                assertThat(c.path("passed").asBoolean()).as(c.toString()).isEqualTo(!shouldFail);
                if (shouldFail) {
                    assertThat(c.path("hint").asText()).as(name).isNotBlank();
                }
            });
            assertThat(find(checks, "printer").path("detail").asText()).contains("ERROR").contains("COVER_OPEN");
            assertThat(find(checks, "printer").path("hint").asText()).contains("close the printer cover");
            assertThat(find(checks, "broker").path("hint").asText()).contains("user name or password");
            assertThat(find(checks, "sam").path("hint").asText()).contains("SAM slot");
        } finally {
            printer.printer().closeCover();
        }
    }

    @Test
    void aBadConfigFailsAndSaysTheOtherChecksWaitForIt() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "terminal:\n  id: Bad Id\n");
        Run r = selftest("--config", f.toString());
        assertThat(r.exit()).isEqualTo(2); // bad input, as run and config check say (was 1 before issue 13)
        assertThat(r.out()).contains("FAIL config").contains("terminal.id").contains("cardterm config check")
                .contains("FAIL printer").contains("not checked: the config does not load");
        assertThat(selftest("--config", dir.resolve("none.yaml").toString()).exit()).isEqualTo(2);
    }

    @Test
    void dataDirAndClockChecks() throws IOException {
        assertThat(Checks.dataDir(dir.resolve("missing")).passed()).isFalse();
        assertThat(Checks.dataDir(dir.resolve("missing")).hint()).contains("install -d -o cardterm");
        assertThat(Checks.dataDir(dir).passed()).isTrue();
        assertThat(Checks.clock(Clock.fixed(Instant.parse("1970-01-01T00:01:00Z"), ZoneOffset.UTC), Optional.empty())
                .passed()).isFalse();
        assertThat(Checks.clock(Clock.systemUTC(), Optional.of(false)).hint()).contains("timedatectl set-ntp true");
        assertThat(Checks.clock(Clock.systemUTC(), Optional.of(true)).passed()).isTrue();
        assertThat(Checks.font(Optional.of(dir.resolve("no-font.ttf"))).passed()).isFalse();
    }

    static JsonNode find(JsonNode checks, String name) {
        for (JsonNode c : checks) {
            if (c.path("check").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + checks);
    }
}
