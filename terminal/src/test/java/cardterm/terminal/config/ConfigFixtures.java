package cardterm.terminal.config;

import cardterm.terminal.testing.SecretFiles;
import cardterm.terminal.config.ConfigLoader.FileChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small valid configs and helpers shared by the config tests. */
final class ConfigFixtures {
    static final String KEY = "0123456789abcdef0123456789abcdef0123";

    private ConfigFixtures() {
    }

    /** Writes {@code command.key} into {@code dir} and returns a minimal valid config using it. */
    static String minimal(Path dir) throws IOException {
        SecretFiles.write(dir.resolve("command.key"), KEY + "\n");
        return """
                terminal:
                  id: t-0042
                  site: wz-lucheng-01
                hub:
                  uri: tcp://127.0.0.1:1883
                  commandKeyFile: command.key
                reader:
                  card: Virtual PCD 00 00
                  sam: Virtual PCD 00 01
                printer:
                  port: /dev/ttyUSB0
                """;
    }

    /** A valid config with a post, a supervisor and one button, on top of {@link #minimal}. */
    static String withButton(Path dir) throws IOException {
        return minimal(dir) + """
                posts:
                  - name: hall
                    a: [S1001]
                    b: [S2001]
                supervisors: [S9001]
                buttons:
                  - id: call-1
                    pin: 17
                    location: wheelchair counter
                    post: hall
                    lamp: {pin: 27}
                    buzzer: {pin: 22}
                """;
    }

    static ConfigResult parse(Path dir, String yaml) {
        return ConfigLoader.parse(yaml, dir, Map.of(), FileChecks.CHECK);
    }

    static ConfigResult parse(Path dir, String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, dir, env, FileChecks.CHECK);
    }

    static TerminalConfig valid(ConfigResult r) {
        if (r instanceof ConfigResult.Valid v) {
            return v.config();
        }
        throw new AssertionError("expected a valid config, got: " + r.problems().lines());
    }

    static List<String> lines(ConfigResult r) {
        return r.problems().lines();
    }

    /** The checkout's top directory (the one holding config/terminal.yaml). */
    static Path top() {
        Path p = Path.of("").toAbsolutePath();
        for (Path d = p; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("config/terminal.yaml")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new AssertionError("no config/terminal.yaml above " + p);
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }
}
