package cardterm.terminal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigResult;
import cardterm.terminal.staff.PinHash;
import cardterm.terminal.staff.Role;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cardterm staff add|remove|list}: edits the registry only into a config that passes its check. */
class StaffCommandTest {
    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String stdin, String... args) {
        CommandLine cl = CardtermMain.newCommandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    Path config() throws Exception {
        cardterm.terminal.testing.SecretFiles.write(dir.resolve("command.key"), "00".repeat(32) + "\n");
        Path f = dir.resolve("terminal.yaml");
        Files.writeString(f, """
                terminal: {id: t-0042, site: wz-lucheng-01}
                hub: {uri: tcp://127.0.0.1:1883, commandKeyFile: command.key}
                reader: {card: Virtual PCD 00 00, sam: Virtual PCD 00 01}
                printer: {port: /dev/ttyUSB0}
                posts:
                  - {name: hall, a: [S1001], b: [S2001]}
                supervisors: [S9001]
                """);
        return f;
    }

    ConfigResult.Valid load(Path f) {
        return (ConfigResult.Valid) ConfigLoader.load(f, Map.of(), ConfigLoader.FileChecks.CHECK);
    }

    @Test
    void addAsksThePinTwiceAndStoresOnlyItsHash() throws Exception {
        Path f = config();
        assertThat(run("", "staff", "add", "--config", f.toString(), "--id", "S1001", "--name", "王丽", "--post", "A"))
                .isEqualTo(2); // no PIN: nothing changed
        // the registry is now given, so every id of posts and supervisors must be in it: add them in an order that works
        String text = Files.readString(f);
        Files.writeString(f, text.replace("posts:\n  - {name: hall, a: [S1001], b: [S2001]}\nsupervisors: [S9001]\n", ""));
        assertThat(run("4321\n4321\n", "staff", "add", "--config", f.toString(), "--id", "S1001", "--name", "王丽",
                "--post", "A")).as(err.toString()).isEqualTo(0);
        assertThat(Files.readString(f)).doesNotContain("4321").contains("pbkdf2-sha256$");
        var c = load(f).config();
        assertThat(PinHash.matches("4321".toCharArray(), c.staff().member("S1001").orElseThrow().pinHash())).isTrue();

        assertThat(run("1111\n2222\n", "staff", "add", "--config", f.toString(), "--id", "S9001", "--name", "赵敏",
                "--role", "supervisor")).isEqualTo(2);
        assertThat(err.toString()).contains("the two PINs differ");
        assertThat(run("12\n12\n", "staff", "add", "--config", f.toString(), "--id", "S9001", "--name", "赵敏",
                "--role", "supervisor")).isEqualTo(2);
        assertThat(run("1111\n1111\n", "staff", "add", "--config", f.toString(), "--id", "S1001", "--name", "x"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("S1001 is in the registry already");
        assertThat(run("1111\n1111\n", "staff", "add", "--config", f.toString(), "--id", "S9001", "--name", "赵敏",
                "--role", "supervisor")).isEqualTo(0);
        assertThat(load(f).config().staff().member("S9001").orElseThrow().role()).isEqualTo(Role.SUPERVISOR);

        out.getBuffer().setLength(0);
        assertThat(run("", "staff", "list", "--config", f.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("S1001").contains("S9001").contains("supervisor").doesNotContain("pbkdf2");
    }

    @Test
    void removingSomeoneStillOnAPostIsRefusedNamingThePost() throws Exception {
        Path f = config();
        String hash = PinHash.hash("1234".toCharArray());
        Files.writeString(f, Files.readString(f) + """
                staff:
                  - {id: S1001, name: a, post: A, pinHash: %1$s}
                  - {id: S2001, name: b, post: B, pinHash: %1$s}
                  - {id: S9001, name: c, role: supervisor, pinHash: %1$s}
                  - {id: S3001, name: d, post: B, pinHash: %1$s}
                """.formatted(hash));
        load(f);
        String before = Files.readString(f);
        assertThat(run("", "staff", "remove", "--config", f.toString(), "--id", "S2001")).isEqualTo(2);
        assertThat(err.toString()).contains("posts[0].b: staff S2001 is not in the staff registry");
        assertThat(Files.readString(f)).isEqualTo(before);
        assertThat(run("", "staff", "remove", "--config", f.toString(), "--id", "S3001")).isEqualTo(0);
        assertThat(load(f).config().staff().known("S3001")).isFalse();
        assertThat(run("", "staff", "remove", "--config", f.toString(), "--id", "S3001")).isEqualTo(2);
    }
}
