package cardterm.terminal.config;

import static cardterm.terminal.config.ConfigFixtures.lines;
import static cardterm.terminal.config.ConfigFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of problem the check reports, one line each with its key path. */
class ConfigProblemsTest {
    @TempDir
    Path dir;

    @Test
    void unknownKeyNamesTheNearestValidKey() throws Exception {
        String yaml = ConfigFixtures.minimal(dir) + "isuance:\n  elderlyage: 60\n";
        assertThat(lines(parse(dir, yaml))).containsExactly("isuance: unknown key; did you mean 'issuance'?");

        String nested = ConfigFixtures.minimal(dir) + "issuance:\n  elderly_age: 60\n";
        assertThat(lines(parse(dir, nested)))
                .containsExactly("issuance.elderly_age: unknown key; did you mean 'elderlyAge'?");
    }

    @Test
    void aMisspeltRequiredKeyIsOneMistakeNotTwo() throws Exception {
        String yaml = ConfigFixtures.minimal(dir).replace("commandKeyFile:", "comandKeyFile:");
        assertThat(yaml).contains("comandKeyFile:");
        assertThat(lines(parse(dir, yaml)))
                .containsExactly("hub.comandKeyFile: unknown key; did you mean 'commandKeyFile'?");
    }

    @Test
    void unknownKeyFarFromAnyListsTheValidOnes() throws Exception {
        String yaml = ConfigFixtures.minimal(dir) + "outbox:\n  zzzzzz: 1\n";
        assertThat(lines(parse(dir, yaml))).containsExactly("outbox.zzzzzz: unknown key; valid keys here: maxEvents");
    }

    @Test
    void wrongTypes() throws Exception {
        String yaml = ConfigFixtures.minimal(dir) + """
                outbox:
                  maxEvents: lots
                health:
                  interval: 60
                gpio: mock
                issuance:
                  concessionByDefault: maybe
                  elderlyAge: [55]
                """;
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "outbox.maxEvents: expected a whole number, got 'lots'",
                "health.interval: expected a duration such as 500ms, 3s, 10m or 1h, got '60'",
                "gpio: expected a mapping of keys, got 'mock'",
                "issuance.elderlyAge: expected a single value, got a list",
                "issuance.concessionByDefault: expected true or false, got 'maybe'");
    }

    @Test
    void missingRequiredValues() throws Exception {
        String yaml = """
                terminal:
                  id: t-1
                hub:
                  uri: tcp://127.0.0.1:1883
                reader:
                  card: X
                printer:
                  port:
                """;
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "terminal.site: required value missing",
                "hub.commandKeyFile: required value missing",
                "reader.sam: required value missing",
                "printer.port: required value missing");
    }

    @Test
    void outOfRange() throws Exception {
        String yaml = ConfigFixtures.minimal(dir)
                .replace("hub:\n", "hub:\n  inflightWindow: 5000\n  keepAlive: 1500ms\n")
                .replace("port: /dev/ttyUSB0", "port: /dev/ttyUSB0\n  baud: 12345")
                + """
                outbox:
                  maxEvents: 10
                assist:
                  escalateToB: 2h
                """;
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "hub.keepAlive: must be whole seconds, got 1500ms",
                "hub.inflightWindow: must be between 1 and 1000, got 5000",
                "outbox.maxEvents: must be between 1000 and 100000000, got 10",
                "printer.baud: must be one of 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, got 12345",
                "assist.escalateToB: must be between 1s and 1h, got 2h");
    }

    @Test
    void duplicateKeysAreReportedWithBothLines() throws Exception {
        String yaml = ConfigFixtures.minimal(dir) + "printer:\n  baud: 9600\n";
        assertThat(lines(parse(dir, yaml))).containsExactly("printer: duplicate key (lines 10 and 12); write it once");
    }

    @Test
    void referencedFilesMustExist() throws Exception {
        String yaml = ConfigFixtures.minimal(dir).replace("commandKeyFile: command.key", """
                commandKeyFile: keys/none.key
                  username: t-1
                  passwordFile: /nonexistent/pw
                  uri: ssl://hub.example:8883
                  tls:
                    caFile: ca.pem""").replace("  uri: tcp://127.0.0.1:1883\n", "")
                + "issuance:\n  cardFont: fonts\n";
        Files.createDirectory(dir.resolve("fonts"));
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "hub.passwordFile: file not found: /nonexistent/pw",
                "hub.tls.caFile: file not found: " + dir.resolve("ca.pem"),
                "hub.commandKeyFile: file not found: " + dir.resolve("keys/none.key"),
                "issuance.cardFont: is a directory, not a file: " + dir.resolve("fonts"));
    }

    @Test
    void commandKeyMustHoldThirtyTwoCharactersAfterTrimming() throws Exception {
        String yaml = ConfigFixtures.minimal(dir);
        Files.writeString(dir.resolve("command.key"), "  " + "k".repeat(31) + "  \n\n");
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "hub.commandKeyFile: holds fewer than 32 characters (after trimming white space): "
                        + dir.resolve("command.key"));

        Files.writeString(dir.resolve("command.key"), "\n" + "k".repeat(32) + "\n");
        ConfigFixtures.valid(parse(dir, yaml));
    }

    @Test
    void badPatterns() throws Exception {
        String yaml = ConfigFixtures.withButton(dir)
                .replace("id: t-0042", "id: T 42")
                .replace("card: Virtual PCD 00 00", "card: /Virtual (PCD/")
                .replace("a: [S1001]", "a: [S1001, 'S 1002']")
                + "gpio:\n  chip: spi0\n";
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "terminal.id: 'T 42' does not match [a-z0-9][a-z0-9-]{0,31}",
                "reader.card: invalid regular expression /Virtual (PCD/: Unclosed group near index 12",
                "gpio.chip: 'spi0' is not a GPIO chip name (gpiochip0, or /dev/gpiochip0)",
                "posts[0].a[1]: 'S 1002' does not match [A-Za-z0-9-]{1,32}");
    }

    @Test
    void badHubUris() throws Exception {
        String yaml = ConfigFixtures.minimal(dir).replace("uri: tcp://127.0.0.1:1883",
                "uri: [mqtt://a:1883, tcp://user:pw@b:1883, 'tcp://c:1883/x', tcp://d:1883]");
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "hub.uri[0]: 'mqtt://a:1883' must start with tcp:// or ssl://",
                "hub.uri[1]: must not hold credentials; use hub.username and hub.passwordFile",
                "hub.uri[2]: 'tcp://c:1883/x' must be scheme://host:port only, without a path or query");
    }

    @Test
    void tlsRules() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "x");
        String yaml = ConfigFixtures.minimal(dir).replace("uri: tcp://127.0.0.1:1883",
                "uri: tcp://a:1883,ssl://b:8883\n  tls:\n    certFile: cert.pem");
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "hub.tls.keyFile: required together with hub.tls.certFile (both or neither)",
                "hub.tls.caFile: required when a hub.uri uses ssl://");

        Files.writeString(dir.resolve("ca.pem"), "x");
        String plain = ConfigFixtures.minimal(dir).replace("uri: tcp://127.0.0.1:1883",
                "uri: tcp://a:1883\n  tls:\n    caFile: ca.pem");
        assertThat(lines(parse(dir, plain))).containsExactly(
                "hub.tls: is set, but no hub.uri uses ssl:// (the link would not be encrypted)");
    }

    @Test
    void crossChecksOfButtonsPostsAndPins() throws Exception {
        String yaml = ConfigFixtures.minimal(dir) + """
                posts:
                  - name: hall
                    a: [S1001, S1001]
                    b: [S1001]
                  - name: hall
                    a: [S1]
                    b: [S2]
                buttons:
                  - id: call-1
                    pin: 17
                    pull: sideways
                    location: wheelchair counter
                    post: hal
                    lamp: {pin: 27}
                    buzzer: {pin: 17}
                  - id: call-1
                    pin: 27
                    location: "waiting\\nseats"
                    post: nowhere
                    lamp: {pin: 5}
                """;
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "posts[0].a[1]: staff S1001 is listed twice",
                "posts[1].name: post 'hall' is already defined at posts[0]",
                "buttons[0].pull: must be one of up, down, none, got 'sideways'",
                "buttons[0].post: names no post; did you mean 'hall'?",
                "buttons[0].buzzer.pin: pin 17 is already used by buttons[0].pin",
                "buttons[1].id: button id 'call-1' is already used by buttons[0]",
                "buttons[1].pin: pin 27 is already used by buttons[0].lamp.pin",
                "buttons[1].location: must be one line of at most 64 characters",
                "buttons[1].post: names no post; posts are: hall",
                "buttons[1].buzzer: required value missing",
                "supervisors: required when there are buttons: unacknowledged calls escalate to a supervisor");
    }

    @Test
    void buttonMustNameAPost() throws Exception {
        String yaml = ConfigFixtures.withButton(dir).replace("post: hall", "post: hal");
        assertThat(lines(parse(dir, yaml))).containsExactly("buttons[0].post: names no post; did you mean 'hall'?");
    }

    @Test
    void staffOnBothPostsOfOnePost() throws Exception {
        String yaml = ConfigFixtures.withButton(dir).replace("b: [S2001]", "b: [S2001, S1001]");
        assertThat(lines(parse(dir, yaml))).containsExactly("posts[0].b: staff S1001 is on both a and b of this post");
    }

    @Test
    void concessionBandsMustNotOverlap() throws Exception {
        String yaml = ConfigFixtures.minimal(dir) + """
                issuance:
                  concessions:
                    - {fromAge: 60, toAge: 69, type: discount}
                    - {fromAge: 65, type: free}
                    - {fromAge: 50, toAge: 40, type: free}
                    - {fromAge: 10, toAge: 20, type: gratis}
                """;
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "issuance.concessions[1]: ages 65+ overlap issuance.concessions[0] (60-69)",
                "issuance.concessions[2].toAge: must not be below fromAge (50)",
                "issuance.concessions[3].type: must be one of discount, free, got 'gratis'");
    }

    @Test
    void orderingRulesBetweenDurations() throws Exception {
        String yaml = ConfigFixtures.minimal(dir)
                .replace("commandKeyFile: command.key", "commandKeyFile: command.key\n  reconnect: {initialDelay: 2m, maxDelay: 1m}")
                + """
                assist:
                  debounce: 200ms
                  longPress: 200ms
                  stuckAfter: 1s
                """;
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "hub.reconnect.maxDelay: must not be shorter than hub.reconnect.initialDelay (2m)",
                "assist.longPress: must be longer than assist.debounce (200ms)");
    }

    @Test
    void yamlAliasesAndSecondDocumentsAreRefused() throws Exception {
        String alias = ConfigFixtures.minimal(dir).replace("sam: Virtual PCD 00 01", "sam: *x");
        assertThat(lines(parse(dir, alias)))
                .containsExactly("reader.sam: YAML aliases (*x) are not supported; write the value out");

        String twoDocs = ConfigFixtures.minimal(dir) + "---\nterminal: {}\n";
        assertThat(lines(parse(dir, twoDocs))).containsExactly(
                "a second YAML document starts at line 13; keep the whole configuration in one document");
    }

    @Test
    void topLevelMustBeAMapping() {
        assertThat(lines(parse(dir, "- a\n- b\n")))
                .containsExactly("expected a mapping of keys (terminal:, hub:, ...) at the top of the file");
    }

    @Test
    void unknownTimeZoneAndLogLevel() throws Exception {
        String yaml = ConfigFixtures.minimal(dir).replace("site: wz-lucheng-01", "site: wz-lucheng-01\n  timeZone: Asia/Wenzhou")
                + "logging:\n  level: verbose\n";
        assertThat(lines(parse(dir, yaml))).containsExactly(
                "terminal.timeZone: unknown time zone 'Asia/Wenzhou' (e.g. Asia/Shanghai)",
                "logging.level: must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got 'verbose'");
    }

    @Test
    void printerPortMustBeADevicePathOrTcp() throws Exception {
        String yaml = ConfigFixtures.minimal(dir).replace("port: /dev/ttyUSB0", "port: COM3");
        assertThat(lines(parse(dir, yaml)))
                .containsExactly("printer.port: 'COM3' is neither a device path (/dev/ttyUSB0) nor tcp://host:port");
        String tcp = ConfigFixtures.minimal(dir).replace("port: /dev/ttyUSB0", "port: tcp://10.0.0.9:9100");
        assertThat(ConfigFixtures.valid(parse(dir, tcp)).printer().port())
                .isEqualTo(new cardterm.devices.printer.PrinterSettings.TcpEndpoint("10.0.0.9", 9100));
    }
}
