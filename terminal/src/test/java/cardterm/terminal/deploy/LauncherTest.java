package cardterm.terminal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher (config/cardterm, /usr/bin/cardterm) chooses a Java runtime from the {@code release}
 * files of Java homes and starts at most one extra JVM to ask a runtime that has none. Fake Java
 * homes record every start; shellcheck finds nothing in the launcher.
 */
class LauncherTest {
    @TempDir
    Path dir;

    Path log() {
        return dir.resolve("starts.log");
    }

    /** A Java home whose java records its start and says it is {@code version}; a release file if asked. */
    Path home(String name, int version, boolean releaseFile) throws IOException {
        Path home = Files.createDirectories(dir.resolve("jvm").resolve(name));
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo "%s $*" >> "%s"
                case "$*" in
                  *-XshowSettings:properties*) echo "    java.specification.version = %d" >&2 ;;
                  *) echo "started %s" ;;
                esac
                """.formatted(name, log(), version, name));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (releaseFile) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version
                    + (version == 8 ? "" : ".0.1") + "\"\nJAVA_RUNTIME_VERSION=\"x\"\n");
        }
        return home;
    }

    List<String> starts() throws IOException {
        return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    }

    DebPackageTest.Result launch(String javaHome, Path pathJava, String... args) {
        String path = (pathJava == null ? "" : pathJava.resolve("bin") + ":") + "/usr/bin:/bin";
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", top().resolve("config/cardterm").toString()));
        cmd.addAll(List.of(args));
        return DebPackageTest.run(dir, cmd, "PATH", path, "JAVA_HOME", javaHome, "JAVA_SEARCH_DIR",
                dir.resolve("jvm").toString(), "CARDTERM_JAR", dir.resolve("cardterm.jar").toString(), "NOTIFY_SOCKET", "");
    }

    static Path top() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("config/cardterm"))) {
                return p;
            }
        }
        throw new AssertionError("config/cardterm not found");
    }

    @Test
    void releaseFilesDecideWithoutStartingAnyExtraJvm() throws IOException {
        Path j17 = home("java-17", 17, true);
        home("java-22", 22, true);
        home("temurin-25", 25, true);
        DebPackageTest.Result r = launch("", j17, "--version");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("started temurin-25");
        assertThat(starts()).hasSize(1).allMatch(l -> l.startsWith("temurin-25 ") && l.contains("-jar"));
    }

    @Test
    void javaHomeIsTakenWhenItIsNewEnough() throws IOException {
        Path j21 = home("java-21", 21, true);
        home("temurin-25", 25, true);
        DebPackageTest.Result r = launch(j21.toString(), null, "--version");
        assertThat(r.out()).contains("started java-21");
        assertThat(starts()).hasSize(1);
    }

    @Test
    void theServiceUnderSystemdNeeds22() throws IOException {
        Path j21 = home("java-21", 21, true);
        home("java-22", 22, true);
        List<String> cmd = List.of("sh", top().resolve("config/cardterm").toString(), "run", "--config", "x");
        DebPackageTest.Result r = DebPackageTest.run(dir, cmd, "PATH", "/usr/bin:/bin", "JAVA_HOME", j21.toString(),
                "JAVA_SEARCH_DIR", dir.resolve("jvm").toString(), "CARDTERM_JAR", "x.jar", "NOTIFY_SOCKET", "/run/x",
                "CARDTERM_LOGBACK", "");
        assertThat(r.out()).contains("started java-22");
        assertThat(starts()).hasSize(1);
    }

    @Test
    void atMostOneRuntimeWithoutAReleaseFileIsStartedToAsk() throws IOException {
        home("a-java-without-release", 25, false);
        home("b-java-without-release", 26, false);
        home("java-8", 8, true);
        DebPackageTest.Result r = launch("", null, "--version");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("started a-java-without-release");
        List<String> starts = starts();
        assertThat(starts).as("one probe, then the runtime itself").hasSize(2);
        assertThat(starts.get(0)).contains("-XshowSettings:properties");
    }

    @Test
    void noRuntimeNewEnoughSaysWhatToInstall() throws IOException {
        home("java-17", 17, true);
        DebPackageTest.Result r = launch("", null, "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("needs a Java runtime 21 or newer").contains("openjdk-25-jre-headless")
                .contains("temurin-25-jre");
        assertThat(starts()).isEmpty();
    }

    @Test
    void shellcheckFindsNothing() {
        DebPackageTest.Result r = DebPackageTest.run(null, List.of("shellcheck", top().resolve("config/cardterm").toString(),
                top().resolve("config/debian/postinst").toString(), top().resolve("config/debian/prerm").toString(),
                top().resolve("config/debian/postrm").toString()));
        assertThat(r.exit()).as("shellcheck (apt-get install shellcheck):\n" + r.out()).isZero();
    }
}
