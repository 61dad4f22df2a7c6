package cardterm.terminal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.ExitCodes;
import cardterm.terminal.staff.PinHash;
import cardterm.terminal.testing.CliCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cardterm monitor --serve}'s checks, before anything connects: a bad staff file gives
 * exit 2 with every problem in it, the same lines as {@code config check} would give for the
 * {@code staff:} section; another address than the loopback one without TLS gives exit 2.
 */
class MonitorServeCliTest {
    static final String HASH = PinHash.hash("1234".toCharArray());

    @TempDir
    Path dir;

    @Test
    void aBadStaffFileExits2WithEveryProblem() throws Exception {
        Path staff = dir.resolve("staff.yaml");
        Files.writeString(staff, """
                staff:
                  - {id: T0001, name: 周工, role: boss, pinHash: %1$s}
                  - {id: T0001, name: 周工二, role: technician, pinHash: "1234"}
                  - {id: "bad id", name: x, role: technician, pinHash: %1$s}
                stuff: 1
                """.formatted(HASH));
        CliCapture r = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--port", "0",
                "--staff", staff.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("staff[0].role:").contains("boss")
                .contains("staff[1].id: staff T0001 is already listed at staff[0]")
                .contains("staff[1].pinHash: must be pbkdf2-sha256")
                .contains("staff[2].id:")
                .contains("stuff: unknown key; did you mean 'staff'?")
                .doesNotContain("Exception");
        assertThat(r.errLines()).allMatch(l -> l.startsWith("cardterm monitor: --staff " + staff + ": "));
    }

    @Test
    void aStaffFileWithoutTechniciansOrWithoutStaffIsRefused() throws Exception {
        Path onlyStaff = dir.resolve("counter.yaml");
        Files.writeString(onlyStaff, "staff:\n  - {id: S1001, name: 王丽, role: staff, post: A, pinHash: " + HASH + "}\n");
        Path none = dir.resolve("none.yaml");
        Files.writeString(none, "terminal: {id: t-1, site: s-1}\n");
        CliCapture a = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff",
                onlyStaff.toString());
        assertThat(a.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(a.err()).contains("no technician or supervisor in it: nobody could sign in");
        CliCapture b = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff", none.toString());
        assertThat(b.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(b.err()).contains("staff: missing");
        CliCapture c = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve");
        assertThat(c.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(c.err()).contains("--serve needs --staff FILE");
    }

    @Test
    void anotherAddressThanLoopbackNeedsTlsAndEveryProblemIsToldAtOnce() throws Exception {
        Path staff = dir.resolve("staff.yaml");
        Files.writeString(staff, "staff:\n  - {id: T0001, name: 周工, role: technician, pinHash: " + HASH + "}\n");
        CliCapture r = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff",
                staff.toString(), "--bind", "0.0.0.0", "--once");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.errLines()).containsExactlyInAnyOrder(
                "cardterm monitor: --serve serves a live page: --once and --json do not go with it",
                "cardterm monitor: --bind 0.0.0.0 (not the loopback address) needs TLS: give --tls-cert and "
                        + "--tls-key, or bind 127.0.0.1");
        CliCapture half = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff",
                staff.toString(), "--bind", "0.0.0.0", "--tls-cert", dir.resolve("nope.pem").toString());
        assertThat(half.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(half.err()).contains("--tls-cert and --tls-key come together").contains("needs TLS");
        CliCapture host = CliCapture.run("monitor", "--broker", "tcp://127.0.0.1:1", "--serve", "--staff",
                staff.toString(), "--bind", "example.org");
        assertThat(host.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(host.err()).contains("--bind must be an IP address");
    }
}
