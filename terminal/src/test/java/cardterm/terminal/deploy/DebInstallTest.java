package cardterm.terminal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built .deb installed with dpkg on a fresh terminal: a Debian trixie (the base of today's
 * Raspberry Pi OS) made with debootstrap into a folder and entered with chroot, with the
 * package's dependencies (adduser, pcscd, openjdk-25-jre-headless) installed by apt. No systemd
 * runs there, as on any build machine, so the unit's state is what deb-systemd-helper leaves on
 * disk: the enablement symlink /etc/systemd/system/multi-user.target.wants/cardterm.service and
 * its own records under /var/lib/systemd/deb-systemd-helper-enabled/. Paths: install, upgrade
 * (an edited conffile kept), remove then install again (enabled again), purge (unit state,
 * data, logs, user and group gone); and on this machine (bookworm, no Java 22+ in its archive)
 * apt refuses the package instead of installing a service that cannot start.
 *
 * <p>The chroot is made once by {@code src/test/sh/terminal-chroot.sh} (about 2-4 minutes, most
 * of it downloading) and cached as a tar in /var/cache/cardterm-test; after that this test takes
 * about 15 s (2 s to unpack, the rest dpkg). Needs root (CI runs as root) and debootstrap.
 */
class DebInstallTest {
    static final String WANTS = "etc/systemd/system/multi-user.target.wants/cardterm.service";
    static final String DSH = "var/lib/systemd/deb-systemd-helper-enabled/";

    static Path deb;
    static Path root;
    static boolean procMounted;

    record Result(int exit, String out) {}

    static Result run(long timeoutSeconds, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + " (apt-get install debootstrap dpkg-dev): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String ok(long timeoutSeconds, String... cmd) {
        Result r = run(timeoutSeconds, List.of(cmd));
        assertThat(r.exit()).as(String.join(" ", cmd) + ":\n" + r.out()).isZero();
        return r.out();
    }

    /** Runs a shell command inside the terminal (the chroot). */
    static Result in(String shell) {
        return run(300, List.of("chroot", root.toString(), "/bin/sh", "-c", shell));
    }

    static String inOk(String shell) {
        Result r = in(shell);
        assertThat(r.exit()).as(shell + ":\n" + r.out()).isZero();
        return r.out();
    }

    @BeforeAll
    static void aFreshTerminal() throws IOException {
        assertThat(run(10, List.of("id", "-u")).out().strip()).as("DebInstallTest needs root (chroot, dpkg): CI runs as root")
                .isEqualTo("0");
        Path target = Path.of(System.getProperty("cardterm.build.dir", "target")).toAbsolutePath();
        try (Stream<Path> s = Files.list(target)) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("cardterm_.*_all\\.deb")).toList();
            assertThat(debs).as("the .deb in " + target + " (mvn package)").hasSize(1);
            deb = debs.get(0);
        }
        String tar = ok(1200, "sh", Path.of("src/test/sh/terminal-chroot.sh").toAbsolutePath().toString()).strip();
        tar = tar.lines().reduce((a, b) -> b).orElseThrow();
        root = Files.createTempDirectory(target, "terminal-chroot-");
        ok(300, "tar", "-C", root.toString(), "-xf", tar);
        ok(30, "mount", "-t", "proc", "proc", root.resolve("proc").toString());
        procMounted = true;
        Files.copy(deb, root.resolve("tmp/cardterm-1.deb"));
        // the next version: the same package with a higher version, as a release would be
        Path unpacked = root.resolve("tmp/next");
        ok(120, "dpkg-deb", "-R", deb.toString(), unpacked.toString());
        Path control = unpacked.resolve("DEBIAN/control");
        String version = dpkgField("Version");
        Files.writeString(control, Files.readString(control).replace("Version: " + version, "Version: " + version + "+next"));
        ok(300, "dpkg-deb", "-Zgzip", "-z1", "-b", "--root-owner-group", unpacked.toString(),
                root.resolve("tmp/cardterm-2.deb").toString());
        ok(60, "rm", "-rf", unpacked.toString());
    }

    static String dpkgField(String field) {
        return ok(30, "dpkg-deb", "-f", deb.toString(), field).strip();
    }

    @AfterAll
    static void throwItAway() {
        if (procMounted) {
            run(30, List.of("umount", root.resolve("proc").toString()));
        }
        if (root != null) {
            run(300, List.of("rm", "-rf", "--one-file-system", root.toString()));
        }
    }

    boolean exists(String path) {
        return Files.exists(root.resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    void assertEnabled() throws IOException {
        assertThat(exists(WANTS)).as("enablement symlink " + WANTS).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve(WANTS)).toString()).endsWith("/systemd/system/cardterm.service");
        Path target = Files.readSymbolicLink(root.resolve(WANTS));
        assertThat(Files.isRegularFile(root.resolve(target.toString().substring(1))))
                .as("the symlink points at the installed unit").isTrue();
        assertThat(exists(DSH + "multi-user.target.wants/cardterm.service")).as("deb-systemd-helper's record").isTrue();
        assertThat(Files.readString(root.resolve(DSH + "cardterm.service.dsh-also")))
                .contains("/etc/systemd/system/multi-user.target.wants/cardterm.service");
    }

    @Test
    void installUpgradeRemoveInstallAgainPurge() throws IOException {
        // install: user and groups, directories owned by the service, unit enabled (not started)
        String out = inOk("dpkg -i /tmp/cardterm-1.deb 2>&1");
        assertThat(out).contains("Setting up cardterm").contains("edit /etc/cardterm/terminal.yaml");
        assertThat(inOk("id cardterm")).contains("(cardterm)").contains("(dialout)").contains("(gpio)");
        assertThat(inOk("stat -c '%U:%G %a' /var/lib/cardterm /var/log/cardterm /etc/cardterm /etc/cardterm/terminal.yaml"))
                .isEqualTo("cardterm:cardterm 750\ncardterm:cardterm 750\nroot:cardterm 750\nroot:cardterm 640\n");
        assertEnabled();
        assertThat(inOk("dpkg-query -W -f='${Status} ${Version}' cardterm")).startsWith("install ok installed");

        // upgrade: the administrator's edits to the config are kept, the unit stays enabled
        inOk("echo '# edited on site' >> /etc/cardterm/terminal.yaml");
        inOk("echo 'undelivered' > /var/lib/cardterm/outbox.db && chown cardterm: /var/lib/cardterm/outbox.db");
        assertThat(inOk("dpkg -i /tmp/cardterm-2.deb 2>&1")).contains("Unpacking cardterm (" + dpkgField("Version")
                + "+next) over");
        assertThat(inOk("tail -n 1 /etc/cardterm/terminal.yaml")).isEqualTo("# edited on site\n");
        assertThat(inOk("stat -c '%U:%G' /var/lib/cardterm /var/lib/cardterm/outbox.db"))
                .isEqualTo("cardterm:cardterm\ncardterm:cardterm\n");
        assertEnabled();

        // remove: files go, the unit's enablement is remembered (as debhelper's scripts do), the
        // data, the config and the user stay
        inOk("dpkg -r cardterm");
        assertThat(exists("usr/lib/systemd/system/cardterm.service")).isFalse();
        assertThat(exists(WANTS)).as("remembered enablement").isTrue();
        assertThat(exists("var/lib/cardterm/outbox.db")).isTrue();
        assertThat(exists("etc/cardterm/terminal.yaml")).isTrue();
        assertThat(in("id cardterm").exit()).isZero();

        // install again: enabled again (it stayed disabled before)
        inOk("dpkg -i /tmp/cardterm-2.deb");
        assertEnabled();
        assertThat(inOk("tail -n 1 /etc/cardterm/terminal.yaml")).isEqualTo("# edited on site\n");

        // purge: nothing of cardterm is left, the unit's state neither
        inOk("dpkg -P cardterm");
        assertThat(exists(WANTS)).isFalse();
        assertThat(exists(DSH + "multi-user.target.wants/cardterm.service")).isFalse();
        assertThat(exists(DSH + "cardterm.service.dsh-also")).isFalse();
        assertThat(exists("var/lib/cardterm")).as("data directory").isFalse();
        assertThat(exists("var/log/cardterm")).as("logs").isFalse();
        assertThat(exists("etc/cardterm")).as("config directory").isFalse();
        assertThat(in("getent passwd cardterm").exit()).as("the service user").isNotZero();
        assertThat(in("getent group cardterm").exit()).as("the service group").isNotZero();
        assertThat(in("dpkg-query -W cardterm 2>&1").out()).contains("no packages found");
    }

    /** Debian bookworm has no Java 22+ in its archive: apt refuses instead of installing a dead service. */
    @Test
    void withoutAJava22RuntimeAptRefuses() {
        String os = ok(10, "sh", "-c", ". /etc/os-release; echo $VERSION_CODENAME").strip();
        assertThat(os).as("this check reads the archive of Debian bookworm (the CI machine)").isEqualTo("bookworm");
        Result r = run(120, List.of("apt-get", "install", "--simulate", "--no-install-recommends", deb.toString()));
        assertThat(r.exit()).as(r.out()).isNotZero();
        assertThat(r.out()).contains("Depends: openjdk-25-jre-headless but it is not installable")
                .contains("java-runtime-headless (>= 22)");
        // with the machine's OpenJDK 17 alone it would not start: 17 does not satisfy it
        assertThat(r.out()).doesNotContain("Inst cardterm");
    }
}
