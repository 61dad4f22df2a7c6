package cardterm.terminal.config;

import cardterm.terminal.testing.CliCapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cardterm config check FILE [--no-files]} through the real command line. */
class ConfigCheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void validFilePrintsOkAndExitsZero() throws Exception {
        Path f = ConfigFixtures.write(dir, "terminal.yaml", ConfigFixtures.withButton(dir));

        CliCapture r = CliCapture.run("config", "check", f.toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.out().strip()).isEqualTo("OK: " + f);
        assertThat(r.exit()).isZero();
    }

    @Test
    void aConfiguredCardFontNotInstalledIsNoConfigProblemButANoteSayingWhatToDo() throws Exception {
        Path missing = dir.resolve("no-such-font.ttc");
        Path f = ConfigFixtures.write(dir, "terminal.yaml", ConfigFixtures.withButton(dir)
                + "issuance:\n  cardFont: " + missing + "\n");

        CliCapture r = CliCapture.run("config", "check", f.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().toList()).hasSize(2).first().isEqualTo("OK: " + f);
        assertThat(r.out()).contains("note: card face: card font file " + missing + " does not exist; remove "
                + "issuance.cardFont to use the bundled card font", "the terminal starts; cardface is OFFLINE and jobs are refused");
    }

    @Test
    void threeMistakesGiveExactlyThreeLinesAndExitTwo() throws Exception {
        String yaml = ConfigFixtures.withButton(dir)
                .replace("site: wz-lucheng-01", "site: WZ_Lucheng")      // bad pattern
                .replace("uri: tcp://127.0.0.1:1883", "uri: tcp://127.0.0.1:1883\n  keepAlve: 30s") // unknown key
                .replace("pin: 17", "pin: 99");                           // out of range
        Path f = ConfigFixtures.write(dir, "bad.yaml", yaml);

        CliCapture r = CliCapture.run("config", "check", f.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(
                f + ": terminal.site: 'WZ_Lucheng' does not match [a-z0-9][a-z0-9-]{0,31}",
                f + ": hub.keepAlve: unknown key; did you mean 'keepAlive'?",
                f + ": buttons[0].pin: must be between 0 and 53, got 99");
    }

    @Test
    void exampleConfigPassesWithoutFileChecks() {
        Path example = ConfigFixtures.top().resolve("config/terminal.yaml");

        CliCapture r = CliCapture.run("config", "check", "--no-env", "--no-files", example.toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.out().strip()).isEqualTo("OK: " + example);
        assertThat(r.exit()).isZero();
    }

    @Test
    void exampleConfigWithFileChecksReportsOnlyTheDeployedFilesMissingHere() {
        Path example = ConfigFixtures.top().resolve("config/terminal.yaml");

        CliCapture r = CliCapture.run("config", "check", "--no-env", example.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).allSatisfy(l -> assertThat(l).contains("file not found: /"));
        assertThat(r.errLines()).anySatisfy(l -> assertThat(l).contains("hub.commandKeyFile: file not found: /etc/cardterm/command.key"));
    }

    @Test
    void missingFileIsOneLineNotAStackTrace() {
        Path missing = dir.resolve("nope.yaml");

        CliCapture r = CliCapture.run("config", "check", missing.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(missing + ": file not found");
    }

    @Test
    void directoryIsOneLine() {
        CliCapture r = CliCapture.run("config", "check", dir.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(dir + ": is a directory, not a config file");
    }

    @Test
    void emptyFileIsOneLine() throws Exception {
        Path f = ConfigFixtures.write(dir, "empty.yaml", "# nothing here yet\n\n");

        CliCapture r = CliCapture.run("config", "check", f.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(f + ": the file is empty");
    }

    @Test
    void invalidYamlReportsLineAndColumn() throws Exception {
        Path f = ConfigFixtures.write(dir, "broken.yaml", "terminal:\n  id: t-1\n  site: a: b\n");

        CliCapture r = CliCapture.run("config", "check", f.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                f + ": invalid YAML at line 3, column 10: mapping values are not allowed here");
    }

    @Test
    void tabIndentationIsReportedWithItsPlace() throws Exception {
        Path f = ConfigFixtures.write(dir, "tabs.yaml", "terminal:\n\tid: t-1\n");

        CliCapture r = CliCapture.run("config", "check", f.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith(f + ": invalid YAML at line 2, column 1: ").contains("TAB");
    }

    @Test
    void notUtf8IsOneLine() throws Exception {
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});

        CliCapture r = CliCapture.run("config", "check", f.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(f + ": the file is not UTF-8 text");
    }

    @Test
    void noFilesSkipsExistenceChecks() throws Exception {
        String yaml = ConfigFixtures.minimal(dir).replace("commandKeyFile: command.key",
                "commandKeyFile: /nonexistent/command.key");
        Path f = ConfigFixtures.write(dir, "t.yaml", yaml);

        assertThat(CliCapture.run("config", "check", f.toString()).errLines())
                .containsExactly(f + ": hub.commandKeyFile: file not found: /nonexistent/command.key");
        assertThat(CliCapture.run("config", "check", "--no-files", f.toString()).exit()).isZero();
    }

    @Test
    void configWithoutSubcommandShowsUsageAndExitsTwo() {
        CliCapture r = CliCapture.run("config");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("check");
    }
}
