package cardterm.terminal.config;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.staff.PinHash;
import cardterm.terminal.staff.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code staff} registry and the {@code console} section, as {@code config check} sees them. */
class StaffConfigTest {
    static final String HASH = PinHash.hash("1234".toCharArray());

    @TempDir
    Path dir;

    String registry() {
        return """
                staff:
                  - {id: S1001, name: 王丽, role: staff, post: A, pinHash: %1$s}
                  - {id: S2001, name: 李华, post: B, pinHash: %1$s}
                  - {id: S9001, name: 赵敏, role: supervisor, pinHash: %1$s}
                  - {id: T0001, name: 周工, role: technician, pinHash: %1$s}
                """.formatted(HASH);
    }

    @Test
    void aGoodRegistryIsReadAndItsSupervisorsMayResolveAnyCall() throws Exception {
        TerminalConfig c = ConfigFixtures.valid(ConfigFixtures.parse(dir, ConfigFixtures.withButton(dir) + registry()));
        assertThat(c.staff().hasMembers()).isTrue();
        assertThat(c.staff().member("T0001").orElseThrow().role()).isEqualTo(Role.TECHNICIAN);
        assertThat(c.staff().member("S1001").orElseThrow().post()).isEqualTo("A");
        assertThat(c.staff().known("S1001")).isTrue();
        assertThat(c.staff().known("S1024")).isFalse();
        assertThat(c.assist().isSupervisor("S9001")).isTrue();
        assertThat(c.staff().member("S1001").orElseThrow().toString()).doesNotContain("王丽");
        assertThat(c.console()).isEqualTo(TerminalConfig.Console.DEFAULT);
    }

    @Test
    void withoutARegistryThePostsAndSupervisorsAreTheKnownStaff() throws Exception {
        TerminalConfig c = ConfigFixtures.valid(ConfigFixtures.parse(dir, ConfigFixtures.withButton(dir)));
        assertThat(c.staff().hasMembers()).isFalse();
        assertThat(c.staff().known("S1001")).isTrue();
        assertThat(c.staff().known("S9001")).isTrue();
        assertThat(c.staff().known("S7777")).isFalse();
    }

    @Test
    void aSupervisorInTheRegistryStandsForTheSupervisorsKey() throws Exception {
        String yaml = ConfigFixtures.withButton(dir).replace("supervisors: [S9001]\n", "") + registry();
        TerminalConfig c = ConfigFixtures.valid(ConfigFixtures.parse(dir, yaml));
        assertThat(c.assist().supervisors()).containsExactly("S9001");
    }

    @Test
    void everyProblemOfABadRegistryIsReportedAtOnce() throws Exception {
        String yaml = ConfigFixtures.withButton(dir).replace("b: [S2001]", "b: [S2001, S1001x]") + """
                staff:
                  - {id: S1001, name: 王丽, role: boss, post: A, pinHash: %1$s}
                  - {id: S1001, name: 王丽, post: C, pinHash: "1234"}
                  - {id: S2001, name: 李华, post: A, pinHash: %1$s}
                  - {id: S9001, name: 赵敏, role: staff, pinHash: %1$s}
                  - {id: "bad id", name: x, pinHash: %1$s}
                """.formatted(HASH);
        var lines = ConfigFixtures.lines(ConfigFixtures.parse(dir, yaml));
        assertThat(String.join("\n", lines))
                .contains("staff[0].role")
                .contains("staff[1].id: staff S1001 is already listed at staff[0]")
                .contains("staff[1].post: must be A or B")
                .contains("staff[1].pinHash: must be pbkdf2-sha256")
                .contains("staff[4].id");
    }

    @Test
    void postsAndSupervisorsMustAgreeWithTheRegistry() throws Exception {
        String yaml = ConfigFixtures.withButton(dir).replace("b: [S2001]", "b: [S2001, S3001]") + """
                staff:
                  - {id: S1001, name: 王丽, post: B, pinHash: %1$s}
                  - {id: S2001, name: 李华, post: B, pinHash: %1$s}
                  - {id: S9001, name: 赵敏, role: staff, pinHash: %1$s}
                """.formatted(HASH);
        var lines = ConfigFixtures.lines(ConfigFixtures.parse(dir, yaml));
        assertThat(lines).contains(
                "posts[0].a: staff S1001 is on post B in the staff registry, not A",
                "posts[0].b: staff S3001 is not in the staff registry (staff:)",
                "supervisors: staff S9001 has role staff in the staff registry, not supervisor");
    }

    @Test
    void theConsoleListensElsewhereOnlyWithTls() throws Exception {
        var lines = ConfigFixtures.lines(ConfigFixtures.parse(dir, ConfigFixtures.minimal(dir) + """
                console:
                  bind: 0.0.0.0
                  port: 70000
                """));
        assertThat(String.join("\n", lines)).contains("console.bind: listening on 0.0.0.0 (not the loopback address) needs TLS")
                .contains("console.port");
        ConfigFixtures.write(dir, "c.crt", "x");
        ConfigFixtures.write(dir, "c.key", "x");
        TerminalConfig c = ConfigFixtures.valid(ConfigFixtures.parse(dir, ConfigFixtures.minimal(dir) + """
                console:
                  bind: 0.0.0.0
                  port: 8443
                  tls: {certFile: c.crt, keyFile: c.key}
                """));
        assertThat(c.console().tls()).isTrue();
        assertThat(c.console().port()).isEqualTo(8443);
    }

    @Test
    void aConfigWithStaffAndConsoleIsWrittenAndReadBackEqual() throws Exception {
        TerminalConfig c = ConfigFixtures.valid(ConfigFixtures.parse(dir, ConfigFixtures.withButton(dir) + registry()));
        TerminalConfig back = ConfigFixtures.valid(ConfigFixtures.parse(dir, ConfigWriter.toYaml(c)));
        assertThat(back).isEqualTo(c);
    }
}
