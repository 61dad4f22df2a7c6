package cardterm.terminal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The .deb as a Debian packager reads it: lintian reports no error and no warning that the
 * package's overrides file does not explain (each override there comes with its reason); the
 * copyright file names every library the shaded jar bundles.
 */
class DebLintianTest {
    static Path deb;

    @BeforeAll
    static void findTheDeb() throws IOException {
        Path target = Path.of(System.getProperty("cardterm.build.dir", "target"));
        try (Stream<Path> s = Files.list(target)) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("cardterm_.*_all\\.deb")).toList();
            assertThat(debs).as("the .deb in " + target.toAbsolutePath() + " (mvn package)").hasSize(1);
            deb = debs.get(0);
        }
    }

    @Test
    void lintianFindsNoErrorAndNoWarningThatIsNotExplained() {
        DebPackageTest.Result r = DebPackageTest.run(null, List.of("lintian", "--fail-on", "error,warning",
                "--display-info", deb.toString()));
        List<String> findings = r.out().lines().filter(l -> l.matches("^[EW]: .*")).toList();
        assertThat(findings).as("lintian " + deb + ":\n" + r.out()).isEmpty();
        assertThat(r.exit()).as("lintian (apt-get install lintian):\n" + r.out()).isZero();
        // every override is in use (a stale one is reported as unused-override or mismatched-override)
        assertThat(r.out()).doesNotContain("unused-override").doesNotContain("mismatched-override");
        DebPackageTest.Result overridden = DebPackageTest.run(null, List.of("lintian", "--show-overrides", deb.toString()));
        assertThat(overridden.out()).contains("O: cardterm: unknown-java-class-version")
                .contains("O: cardterm: non-standard-file-perm 0640 != 0644 [etc/cardterm/terminal.yaml]");
    }

    @Test
    void theCopyrightFileNamesEveryBundledLibrary() throws IOException {
        Path root = Files.createTempDirectory("deb-copyright");
        DebPackageTest.ok(List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
        String copyright = Files.readString(root.resolve("usr/share/doc/cardterm/copyright"));
        assertThat(copyright).startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/");
        Set<String> bundled = new TreeSet<>();
        try (ZipFile jar = new ZipFile(root.resolve("usr/share/cardterm/cardterm.jar").toFile())) {
            Pattern pom = Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");
            jar.stream().forEach(e -> {
                Matcher m = pom.matcher(e.getName());
                if (m.matches() && !m.group(1).equals("cardterm")) {
                    bundled.add(m.group(2));
                }
            });
            // two libraries carry no pom.properties: known by their classes
            if (jar.getEntry("com/fazecast/jSerialComm/SerialPort.class") != null) {
                bundled.add("jSerialComm");
            }
            if (jar.getEntry("picocli/CommandLine.class") != null) {
                bundled.add("picocli");
            }
        }
        assertThat(bundled).hasSizeGreaterThan(20);
        List<String> missing = new ArrayList<>();
        for (String artifact : bundled) {
            String name = artifact.startsWith("netty-") ? artifact.substring("netty".length()) : artifact;
            if (!copyright.contains(name)) {
                missing.add(artifact);
            }
        }
        assertThat(missing).as("libraries in the jar that debian/doc/copyright does not name").isEmpty();
        DebPackageTest.ok(List.of("rm", "-rf", root.toString()));
    }

    @Test
    void theChangelogIsCompressedAsPolicyWants() throws IOException {
        Path root = Files.createTempDirectory("deb-changelog");
        DebPackageTest.ok(List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
        String text = DebPackageTest.ok(List.of("zcat", root.resolve("usr/share/doc/cardterm/changelog.gz").toString()));
        assertThat(text).startsWith("cardterm (").contains(" -- cardterm team <");
        DebPackageTest.ok(List.of("rm", "-rf", root.toString()));
    }
}
