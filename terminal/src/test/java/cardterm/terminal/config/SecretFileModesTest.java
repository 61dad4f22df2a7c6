package cardterm.terminal.config;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.testing.CliCapture;
import cardterm.terminal.testing.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key and password files as OpenSSH keeps private keys: {@code config check}, {@code selftest},
 * {@code run} and {@code simulate --command-key} refuse one that group or others may read or
 * write, or that is not UTF-8, naming the file and the {@code chmod}/{@code chown} that fixes it,
 * every problem at once, exit 2.
 */
class SecretFileModesTest {
    private static final String KEY = ConfigFixtures.KEY;

    @TempDir
    Path dir;

    /** The minimal config with its data under {@code dir/data}, a password file and the command key in {@code mode}. */
    private Path config(String keyMode) throws IOException {
        String yaml = ConfigFixtures.minimal(dir)
                .replace("  site: wz-lucheng-01\n", "  site: wz-lucheng-01\n  dataDir: " + dir.resolve("data") + "\n")
                .replace("  commandKeyFile: command.key\n",
                        "  commandKeyFile: command.key\n  username: t-0042\n  passwordFile: hub.password\n");
        SecretFiles.write(dir.resolve("command.key"), (KEY + "\n").getBytes(StandardCharsets.UTF_8), keyMode);
        SecretFiles.write(dir.resolve("hub.password"), "s3cret\n");
        return ConfigFixtures.write(dir, "terminal.yaml", yaml);
    }

    private String keyProblem(String what, String mode) {
        Path key = dir.resolve("command.key");
        return "hub.commandKeyFile: " + key + " is " + what + " by group or others (mode " + mode + "): run chmod 0600 "
                + key + " (and chown cardterm: " + key + " if the service runs as cardterm)";
    }

    @ParameterizedTest(name = "mode {0}")
    @CsvSource({"0644, rw-r--r--, readable", "0666, rw-rw-rw-, readable and writable", "0660, rw-rw----, readable and writable",
            "0640, rw-r-----, readable", "0620, rw--w----, writable", "0601, rw------x, executable"})
    void configCheckRefusesAKeyFileGroupOrOthersMayUse(String mode, String perms, String what) throws Exception {
        Path f = config(perms);

        CliCapture r = CliCapture.run("config", "check", "--no-env", f.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(f + ": " + keyProblem(what, mode));
    }

    @ParameterizedTest(name = "mode {0}")
    @CsvSource({"0644, rw-r--r--, readable", "0666, rw-rw-rw-, readable and writable", "0660, rw-rw----, readable and writable"})
    void selftestRefusesItWithExitTwo(String mode, String perms, String what) throws Exception {
        Path f = config(perms);

        CliCapture r = CliCapture.run("selftest", "--config", f.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.out()).contains("FAIL config");
        assertThat(r.err()).contains(f + ": " + keyProblem(what, mode));
        assertThat(Files.exists(dir.resolve("data"))).as("selftest wrote the data dir").isFalse();
    }

    @ParameterizedTest(name = "mode {0}")
    @CsvSource({"0644, rw-r--r--, readable", "0666, rw-rw-rw-, readable and writable", "0660, rw-rw----, readable and writable"})
    void runRefusesItWithExitTwoBeforeWritingAnything(String mode, String perms, String what) throws Exception {
        Path f = config(perms);

        CliCapture r = CliCapture.run("run", "--config", f.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(f + ": " + keyProblem(what, mode)).contains("not started");
        assertThat(Files.exists(dir.resolve("data"))).as("run created the data dir").isFalse();
    }

    @Test
    void modeZeroSixHundredIsAccepted() throws Exception {
        Path f = config("rw-------");

        CliCapture r = CliCapture.run("config", "check", "--no-env", f.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith("OK: " + f);
        // owner read-only is fine too
        Files.setPosixFilePermissions(dir.resolve("command.key"), java.nio.file.attribute.PosixFilePermissions
                .fromString("r--------"));
        assertThat(CliCapture.run("config", "check", "--no-env", f.toString()).exit()).isZero();
    }

    @Test
    void everyKeyAndPasswordFileAndEveryProblemInOneAnswer() throws Exception {
        Path f = config("rw-r-----");
        SecretFiles.write(dir.resolve("hub.password"), new byte[] {'p', 'w', (byte) 0xC3, '(', '\n'}, "rw-rw-r--");
        SecretFiles.write(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\n".getBytes(StandardCharsets.UTF_8),
                "rw-r--r--");
        Files.writeString(dir.resolve("ca.pem"), "not read: the problems above come first\n");
        Files.writeString(dir.resolve("client.pem"), "not read either\n");
        Files.writeString(f, Files.readString(f).replace("tcp://127.0.0.1:1883", "ssl://127.0.0.1:8883")
                .replace("  passwordFile: hub.password\n", "  passwordFile: hub.password\n  tls:\n    caFile: ca.pem\n"
                        + "    certFile: client.pem\n    keyFile: client.key\n"));

        List<String> check = CliCapture.run("config", "check", "--no-env", f.toString()).errLines();

        Path pw = dir.resolve("hub.password");
        Path tlsKey = dir.resolve("client.key");
        assertThat(check).containsExactlyInAnyOrder(
                f + ": " + keyProblem("readable", "0640"),
                f + ": hub.passwordFile: " + pw + " is readable and writable by group or others (mode 0664): run chmod 0600 "
                        + pw + " (and chown cardterm: " + pw + " if the service runs as cardterm)",
                f + ": hub.passwordFile: " + pw + " is not UTF-8 text (byte 2 of 5 is not valid UTF-8): write the secret "
                        + "into it as UTF-8 text",
                f + ": hub.tls.keyFile: " + tlsKey + " is readable by group or others (mode 0644): run chmod 0600 " + tlsKey
                        + " (and chown cardterm: " + tlsKey + " if the service runs as cardterm)");
        List<String> run = CliCapture.run("run", "--config", f.toString()).errLines();
        assertThat(run.subList(0, check.size())).containsExactlyInAnyOrderElementsOf(check);
    }

    @Test
    void aKeyFileOfInvalidUtf8IsRefusedInAllThree() throws Exception {
        Path f = config("rw-------");
        // a key that is GB 18030 text, not UTF-8 ("密钥" and 32 letters)
        byte[] gb = ("密钥" + "k".repeat(32) + "\n").getBytes(java.nio.charset.Charset.forName("GB18030"));
        SecretFiles.write(dir.resolve("command.key"), gb, "rw-------");
        String problem = f + ": hub.commandKeyFile: " + dir.resolve("command.key") + " is not UTF-8 text (byte 0 of "
                + gb.length + " is not valid UTF-8): write the secret into it as UTF-8 text";

        CliCapture check = CliCapture.run("config", "check", "--no-env", f.toString());
        CliCapture selftest = CliCapture.run("selftest", "--config", f.toString());
        CliCapture run = CliCapture.run("run", "--config", f.toString());

        assertThat(check.exit()).isEqualTo(2);
        assertThat(check.errLines()).containsExactly(problem);
        assertThat(selftest.exit()).isEqualTo(2);
        assertThat(selftest.err()).contains(problem);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(problem);
        assertThat(check.err() + selftest.out() + selftest.err() + run.err()).as("the key's bytes never shown")
                .doesNotContain("kkkkkkkk");
    }

    @Test
    void simulateRefusesACommandKeyGroupOrOthersMayRead() throws Exception {
        Path key = SecretFiles.write(dir.resolve("hub.key"), (KEY + "\n").getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        List<Path> before = files();

        CliCapture r = CliCapture.run("simulate", "--work-dir", dir.resolve("w").toString(), "--command-key",
                key.toString(), "--duration", "1");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("cardterm simulate: --command-key: " + key
                + " is readable by group or others (mode 0644): run chmod 0600 " + key + " (and chown cardterm: " + key
                + " if the service runs as cardterm)");
        assertThat(files()).as("nothing started, nothing written").isEqualTo(before);

        SecretFiles.write(key, new byte[] {(byte) 0xFF, 'k', '\n'}, "rw-------");
        CliCapture bad = CliCapture.run("simulate", "--work-dir", dir.resolve("w").toString(), "--command-key",
                key.toString(), "--duration", "1");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly("cardterm simulate: --command-key: " + key
                + " is not UTF-8 text (byte 0 of 3 is not valid UTF-8): write the secret into it as UTF-8 text");
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }
}
