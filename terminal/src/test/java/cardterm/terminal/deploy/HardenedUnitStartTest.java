package cardterm.terminal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.testing.Mosquitto;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hardened unit's command lines (ExecStartPre, then ExecStart) with the built jar, started
 * under the unit's restrictions, and the terminal comes online on a local mosquitto (retained
 * state {@code online: true}, READY=1 on NOTIFY_SOCKET).
 *
 * <p>Why not {@code systemd-run} with the unit's properties: it needs a running systemd (PID 1),
 * and neither this container nor CI's has one. So the restrictions are laid on as systemd would,
 * with the kernel's own tools, from the unit file: a mount namespace with the whole tree read-only
 * but the ReadWritePaths (ProtectSystem=strict), an empty /tmp (PrivateTmp), /home and /root
 * hidden (ProtectHome), /proc/sys and /sys read-only (ProtectKernelTunables); a UTS and IPC
 * namespace (ProtectHostname); an unprivileged user with the supplementary group dialout,
 * no_new_privs, an empty capability bounding set (setpriv); UMask; and the system-call filter
 * with RestrictAddressFamilies as a seccomp filter built from systemd's own @system-service
 * groups (src/test/sh/unit-seccomp.py, libseccomp). Left out, as only systemd can set them:
 * DevicePolicy/DeviceAllow (a cgroup BPF program), ProtectKernelModules/Logs, RestrictRealtime,
 * RestrictNamespaces, LockPersonality (systemd's extra seccomp rules); the service reaches no
 * device here. The user is {@code nobody} (this machine has no {@code cardterm}).
 */
class HardenedUnitStartTest {
    static final Path UNIT = LauncherTest.top().resolve("config/systemd/cardterm.service");

    Path work;
    Process run;
    Process socat;

    @AfterEach
    void stop() throws Exception {
        if (run != null) {
            // the service runs as nobody through setpriv: that change of credentials clears the
            // signal unshare's --kill-child would send it, so it would outlive the test (found
            // running an hour after a suite): stop it and everything under unshare first
            List<ProcessHandle> tree = run.descendants().toList();
            tree.forEach(ProcessHandle::destroy);
            for (ProcessHandle p : tree) {
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    p.destroyForcibly();
                }
            }
            run.destroy();
            if (!run.waitFor(30, TimeUnit.SECONDS)) {
                run.destroyForcibly();
            }
        }
        if (socat != null) {
            socat.destroyForcibly();
        }
        if (work != null) {
            DebPackageTest.run(null, List.of("rm", "-rf", work.toString()));
        }
    }

    static List<String> settings(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).toList();
    }

    @Test
    void theUnitsCommandComesOnlineUnderTheUnitsRestrictions() throws Exception {
        assertThat(DebPackageTest.run(null, List.of("id", "-u")).out().strip()).as("needs root (namespaces, setpriv)")
                .isEqualTo("0");
        String unit = Files.readString(UNIT);
        // what is laid on below must be what the unit says
        assertThat(settings(unit, "NoNewPrivileges")).containsExactly("yes");
        assertThat(settings(unit, "CapabilityBoundingSet")).containsExactly("");
        assertThat(settings(unit, "ProtectSystem")).containsExactly("strict");
        assertThat(settings(unit, "PrivateTmp")).containsExactly("yes");
        assertThat(settings(unit, "ProtectHome")).containsExactly("yes");
        assertThat(settings(unit, "ProtectKernelTunables")).containsExactly("yes");
        assertThat(settings(unit, "ProtectHostname")).containsExactly("yes");
        assertThat(settings(unit, "UMask")).containsExactly("0027");
        assertThat(settings(unit, "ReadWritePaths")).containsExactly("/var/lib/cardterm /var/log/cardterm");
        assertThat(settings(unit, "SupplementaryGroups")).containsExactly("dialout gpio");
        assertThat(settings(unit, "SystemCallFilter")).isNotEmpty();
        String execStartPre = settings(unit, "ExecStartPre").get(0);
        String execStart = settings(unit, "ExecStart").get(0);

        Path target = Path.of(System.getProperty("cardterm.build.dir", "target")).toAbsolutePath();
        Path jar = target.resolve("cardterm.jar");
        assertThat(jar).as("the jar (mvn package)").isRegularFile();
        // not under /tmp: PrivateTmp hides it from the service
        work = Files.createTempDirectory(target, "hardened-");
        Path data = Files.createDirectories(work.resolve("lib"));
        Path logs = Files.createDirectories(work.resolve("log"));
        DebPackageTest.ok(List.of("chmod", "755", work.toString()));
        DebPackageTest.ok(List.of("chown", "nobody:nogroup", data.toString(), logs.toString()));
        Files.writeString(work.resolve("command.key"), "0123456789abcdef0123456789abcdef0123\n");
        // a key only its owner may read, owned by the service user (the config check refuses more)
        DebPackageTest.ok(List.of("chown", "nobody:nogroup", work.resolve("command.key").toString()));
        DebPackageTest.ok(List.of("chmod", "600", work.resolve("command.key").toString()));

        try (Mosquitto broker = Mosquitto.startPlain()) {
            Path config = work.resolve("terminal.yaml");
            Files.writeString(config, """
                    terminal:
                      id: t-0042
                      site: wz-lucheng-01
                      dataDir: %s
                    hub:
                      uri: %s
                      commandKeyFile: command.key
                    reader:
                      card: /Virtual PCD 00 00/
                      sam: /Virtual PCD 00 01/
                    printer:
                      port: tcp://127.0.0.1:%d
                    gpio:
                      provider: mock
                    posts:
                      - name: hall
                        a: [S1001]
                        b: [S2001]
                    supervisors: [S9001]
                    """.formatted(data, broker.uri(), Mosquitto.freePort()));
            Path notify = work.resolve("notify");
            socat = new ProcessBuilder("socat", "-u", "UNIX-RECV:" + notify, "STDOUT").redirectErrorStream(true).start();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Thread.ofPlatform().daemon().start(() -> copy(socat.getInputStream(), got));
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(notify));
            DebPackageTest.ok(List.of("chmod", "666", notify.toString()));

            // ExecStartPre: the config check, in the same sandbox
            DebPackageTest.Result pre = DebPackageTest.run(work, sandboxed(unit, execStartPre, config, data, logs, notify, jar));
            assertThat(pre.exit()).as(pre.out()).isZero();
            assertThat(pre.out()).contains("OK: " + config);

            Path out = work.resolve("run.out");
            run = new ProcessBuilder(sandboxed(unit, execStart, config, data, logs, notify, jar)).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            await().atMost(Duration.ofSeconds(90)).until(() -> text(got).contains("READY=1") || !run.isAlive());
            assertThat(run.isAlive()).as(Files.readString(out)).isTrue();
            String topic = "cardterm/v1/wz-lucheng-01/t-0042/state";
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                DebPackageTest.Result sub = DebPackageTest.run(null, List.of("mosquitto_sub", "-h", "127.0.0.1", "-p",
                        Integer.toString(broker.port()), "-t", topic, "-C", "1", "-W", "3"));
                assertThat(sub.out()).as("retained state").contains("\"online\":true");
            });
            // UMask=0027: what the service made is not readable by other users
            try (Stream<Path> files = Files.walk(data)) {
                List<Path> made = files.filter(Files::isRegularFile).toList();
                assertThat(made).as("files in the data directory").isNotEmpty();
                for (Path f : made) {
                    Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
                    assertThat(p).as(f.toString()).doesNotContain(PosixFilePermission.OTHERS_READ,
                            PosixFilePermission.OTHERS_WRITE);
                }
                assertThat(Files.getOwner(made.get(0)).getName()).isEqualTo("nobody");
            }
            assertThat(Files.readString(out)).doesNotContain("Bad system call");
        }
    }

    /** The unit's command line (paths of the package swapped for the build's) in the unit's sandbox. */
    List<String> sandboxed(String unit, String command, Path config, Path data, Path logs, Path notify, Path jar) {
        String cmd = command.replace("/usr/bin/cardterm", "sh " + LauncherTest.top().resolve("config/cardterm"))
                .replace("/etc/cardterm/terminal.yaml", config.toString());
        List<String> env = new ArrayList<>(List.of("PATH=/usr/bin:/bin", "LANG=C.UTF-8",
                "JAVA_HOME=" + System.getProperty("java.home"), "CARDTERM_JAR=" + jar, "NOTIFY_SOCKET=" + notify,
                "WATCHDOG_USEC=30000000"));
        for (String e : settings(unit, "Environment")) {
            env.add(e.replace("\"", "").replace("/var/log/cardterm", logs.toString()));
        }
        Path top = LauncherTest.top();
        StringBuilder s = new StringBuilder("set -e\n");
        s.append("mount --make-rprivate /\n");
        s.append("mount -t tmpfs -o mode=1777 tmpfs /tmp\n");           // PrivateTmp
        s.append("mount -t tmpfs -o mode=1777 tmpfs /var/tmp\n");
        for (String home : List.of("/home", "/root")) {                   // ProtectHome (not over the build)
            if (!top.startsWith(home)) {
                s.append("[ ! -d ").append(home).append(" ] || mount -t tmpfs -o mode=0000 tmpfs ").append(home).append('\n');
            }
        }
        for (Path rw : List.of(data, logs)) {                              // ReadWritePaths
            s.append("mount --bind '").append(rw).append("' '").append(rw).append("'\n");
        }
        s.append("mount -o remount,bind,ro /\n");                        // ProtectSystem=strict
        s.append("mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys\n"); // ProtectKernelTunables
        s.append("mount -o remount,bind,ro /sys\n");
        s.append("umask 0027\n");                                         // UMask
        s.append("exec setpriv --reuid=nobody --regid=nogroup --groups=dialout --no-new-privs --bounding-set=-all")
                .append(" --inh-caps=-all --ambient-caps=-all -- env -i");
        for (String e : env) {
            s.append(" '").append(e).append("'");
        }
        s.append(" /usr/bin/python3 '").append(top.resolve("terminal/src/test/sh/unit-seccomp.py")).append("' '")
                .append(UNIT).append("' -- ").append(cmd).append('\n');
        return List.of("unshare", "--mount", "--uts", "--ipc", "--fork", "--kill-child=SIGTERM", "--", "sh", "-c",
                s.toString());
    }

    static void copy(InputStream in, ByteArrayOutputStream to) {
        byte[] b = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(b)) > 0) {
                synchronized (to) {
                    to.write(b, 0, n);
                }
            }
        } catch (IOException e) {
            // socat ended
        }
    }

    static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
