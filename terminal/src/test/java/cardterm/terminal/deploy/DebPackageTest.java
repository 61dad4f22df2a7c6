package cardterm.terminal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn package} builds (jdeb): its control fields, conffiles, files and modes,
 * the systemd unit (Type=notify, WatchdogSec, verified by systemd-analyze), the jar in it runs,
 * and the maintainer scripts: postinst makes the user and groups on a first run and changes
 * nothing on a second (run against stub commands that record what they were asked). Runs in
 * {@code verify}, after {@code package}.
 */
class DebPackageTest {
    static Path deb;

    @TempDir
    static Path work;

    record Result(int exit, String out) {}

    static Result run(Path dir, List<String> cmd, String... env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            for (int i = 0; i + 1 < env.length; i += 2) {
                pb.environment().put(env[i], env[i + 1]);
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + " (dpkg-deb comes with dpkg): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String ok(List<String> cmd) {
        Result r = run(null, cmd);
        assertThat(r.exit()).as(cmd + ":\n" + r.out()).isZero();
        return r.out();
    }

    @BeforeAll
    static void findAndUnpack() throws IOException {
        Path target = Path.of(System.getProperty("cardterm.build.dir", "target"));
        try (Stream<Path> s = Files.list(target)) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("cardterm_.*_all\\.deb")).toList();
            assertThat(debs).as("the .deb in " + target.toAbsolutePath()
                    + " (built by mvn package: run mvn verify, or mvn package before this test)").hasSize(1);
            deb = debs.get(0);
        }
        ok(List.of("dpkg-deb", "-x", deb.toString(), work.resolve("root").toString()));
        ok(List.of("dpkg-deb", "-e", deb.toString(), work.resolve("DEBIAN").toString()));
    }

    @Test
    void controlFieldsAndConffiles() throws IOException {
        String info = ok(List.of("dpkg-deb", "-f", deb.toString(), "Package", "Version", "Architecture", "Depends"));
        assertThat(info).contains("Package: cardterm").contains("Architecture: all").containsPattern(
                "Version: \\d+\\.\\d+\\.\\d+").contains("adduser").contains("pcscd")
                .contains("openjdk-25-jre-headless | ").contains("temurin-25-jre | ");
        assertThat(Files.readAllLines(work.resolve("DEBIAN/conffiles")))
                .containsExactlyInAnyOrder("/etc/cardterm/terminal.yaml", "/etc/cardterm/logback.xml");
    }

    @Test
    void filesWithTheirModes() {
        String list = ok(List.of("dpkg-deb", "-c", deb.toString()));
        assertThat(list).containsPattern("-rw-r--r-- root/root +\\d+ .* \\./usr/share/cardterm/cardterm\\.jar")
                .containsPattern("-rwxr-xr-x root/root +\\d+ .* \\./usr/bin/cardterm\\n")
                .containsPattern("-rw-r----- root/root +\\d+ .* \\./etc/cardterm/terminal\\.yaml")
                .containsPattern("-rw-r----- root/root +\\d+ .* \\./etc/cardterm/logback\\.xml")
                .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./usr/lib/systemd/system/cardterm\\.service")
                .contains("./usr/share/doc/cardterm/99-cardterm-printer.rules.example")
                .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./usr/lib/udev/rules\\.d/60-cardterm-gpio\\.rules")
                .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./usr/share/polkit-1/rules\\.d/60-cardterm-pcscd\\.rules")
                .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./usr/share/doc/cardterm/copyright")
                .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./usr/share/doc/cardterm/changelog\\.gz")
                .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./usr/share/man/man1/cardterm\\.1\\.gz")
                .containsPattern("-rw-r--r-- root/root +\\d+ .* \\./usr/share/lintian/overrides/cardterm")
                // the service user's directories are made by postinst, not shipped (dpkg would
                // give them back to root on every upgrade)
                .doesNotContain("./var/lib/cardterm").doesNotContain("./var/log/cardterm");
    }

    @Test
    void theSystemdUnitIsNotifyWithAWatchdogAndVerifies() throws IOException {
        Path unit = work.resolve("root/usr/lib/systemd/system/cardterm.service");
        String text = Files.readString(unit);
        assertThat(text).contains("Type=notify").containsPattern("(?m)^WatchdogSec=\\d+").contains("NotifyAccess=main")
                .contains("ExecStart=/usr/bin/cardterm run --config /etc/cardterm/terminal.yaml")
                .contains("User=cardterm").contains("SupplementaryGroups=dialout gpio")
                .contains("Restart=always");
        Result v = run(null, List.of("systemd-analyze", "verify", unit.toString()));
        // on a build machine /usr/bin/cardterm is not installed: that is the only complaint allowed
        List<String> complaints = v.out().lines()
                .filter(l -> !l.contains("Command /usr/bin/cardterm is not executable")).toList();
        assertThat(complaints).as(v.out()).isEmpty();
    }

    @Test
    void theLogsAreRollingAndSizeCapped() throws IOException {
        String logback = Files.readString(work.resolve("root/etc/cardterm/logback.xml"));
        assertThat(logback).contains("SizeAndTimeBasedRollingPolicy").contains("<maxFileSize>")
                .contains("<totalSizeCap>");
    }

    @Test
    void theUdevExampleGivesThePrinterAStableName() throws IOException {
        String rule = Files.readString(work.resolve("root/usr/share/doc/cardterm/99-cardterm-printer.rules.example"));
        assertThat(rule).contains("SYMLINK+=\"cardprinter\"").contains("GROUP=\"dialout\"");
    }

    @Test
    void thePackagedLauncherRunsThePackagedJar() {
        Path root = work.resolve("root");
        Result r = run(null, List.of("sh", root.resolve("usr/bin/cardterm").toString(), "--version"),
                "CARDTERM_JAR", root.resolve("usr/share/cardterm/cardterm.jar").toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).startsWith("cardterm ");
        Result help = run(null, List.of("sh", root.resolve("usr/bin/cardterm").toString(), "--help"),
                "CARDTERM_JAR", root.resolve("usr/share/cardterm/cardterm.jar").toString());
        assertThat(help.out()).contains("selftest").contains("monitor").contains("run");
    }

    /**
     * postinst against stub commands: the first run makes group gpio (missing here), the user
     * cardterm and adds it to dialout and gpio; a second run, with them in place, makes nothing.
     */
    @Test
    void postinstIsIdempotent() throws IOException {
        Path stubs = Files.createDirectories(work.resolve("stubs"));
        Path state = Files.createDirectories(work.resolve("state"));
        Path log = work.resolve("calls.log");
        // getent answers from files in $STATE; addgroup/adduser create them; the rest only log
        stub(stubs, "getent", "echo \"getent $*\" >> \"$LOG\"; [ -f \"$STATE/$1.$2\" ]");
        stub(stubs, "addgroup", "echo \"addgroup $*\" >> \"$LOG\"; for a; do n=$a; done; touch \"$STATE/group.$n\"");
        stub(stubs, "adduser", "echo \"adduser $*\" >> \"$LOG\"; for a; do n=$a; done; touch \"$STATE/passwd.$n\"");
        for (String c : List.of("usermod", "install", "chown", "chmod", "systemctl", "udevadm", "deb-systemd-helper",
                "deb-systemd-invoke")) {
            stub(stubs, c, "echo \"" + c + " $*\" >> \"$LOG\"");
        }
        Files.createFile(state.resolve("group.dialout"));
        Path postinst = work.resolve("DEBIAN/postinst");
        String path = stubs + ":/usr/bin:/bin";
        Result first = run(null, List.of("sh", postinst.toString(), "configure", ""), "PATH", path, "LOG",
                log.toString(), "STATE", state.toString());
        assertThat(first.exit()).as(first.out()).isZero();
        List<String> calls1 = Files.readAllLines(log);
        assertThat(calls1).anyMatch(l -> l.startsWith("addgroup --system gpio"))
                .anyMatch(l -> l.startsWith("adduser --system --ingroup cardterm") && l.endsWith(" cardterm"))
                .anyMatch(l -> l.equals("usermod -a -G dialout,gpio cardterm"))
                .anyMatch(l -> l.equals("install -d -o cardterm -g cardterm -m 0750 /var/lib/cardterm"))
                .anyMatch(l -> l.equals("deb-systemd-helper enable cardterm.service"))
                .noneMatch(l -> l.startsWith("addgroup --system dialout"));

        Files.delete(log);
        Result again = run(null, List.of("sh", postinst.toString(), "configure", "0.1.0"), "PATH", path, "LOG",
                log.toString(), "STATE", state.toString());
        assertThat(again.exit()).as(again.out()).isZero();
        List<String> calls2 = Files.readAllLines(log);
        assertThat(calls2).noneMatch(l -> l.startsWith("addgroup") || l.startsWith("adduser"))
                .anyMatch(l -> l.equals("usermod -a -G dialout,gpio cardterm"));
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Result syntax = run(null, List.of("sh", "-n", work.resolve("DEBIAN").resolve(script).toString()));
            assertThat(syntax.exit()).as(script + ": " + syntax.out()).isZero();
        }
    }

    private static void stub(Path dir, String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\nexit $?\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static List<String> lines(String s) {
        return new ArrayList<>(s.lines().toList());
    }
}
