package cardterm.terminal.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployed files under {@code config/}: the example config documents every key; logback.xml works. */
class ExampleConfigTest {
    @TempDir
    Path dir;

    @Test
    void exampleHasEveryKeyOfTheSchemaEachWithAComment() throws Exception {
        Path example = ConfigFixtures.top().resolve("config/terminal.yaml");
        JsonNode tree = new YAMLMapper().readTree(example.toFile());
        List<String> lines = Files.readAllLines(example);

        List<String> missing = new ArrayList<>();
        for (String path : ConfigSchema.valuePaths()) {
            if (!has(tree, path.split("\\."), 0)) {
                missing.add(path);
            }
        }
        assertThat(missing).as("keys the example does not show").isEmpty();

        for (String path : ConfigSchema.valuePaths()) {
            String[] parts = path.split("\\.");
            String key = parts[parts.length - 1].replace("[]", "");
            assertThat(lines).as("a commented line for " + path)
                    .anySatisfy(l -> assertThat(l).matches("\\s*(- )?" + key + ":.*#.*"));
        }
    }

    private static boolean has(JsonNode node, String[] parts, int i) {
        if (i == parts.length) {
            return node != null && !node.isNull();
        }
        if (node == null) {
            return false;
        }
        String p = parts[i];
        if (p.endsWith("[]")) {
            JsonNode list = node.get(p.substring(0, p.length() - 2));
            if (list == null || !list.isArray()) {
                return false;
            }
            for (JsonNode item : list) {
                if (has(item, parts, i + 1)) {
                    return true;
                }
            }
            return false;
        }
        return has(node.get(p), parts, i + 1);
    }

    @Test
    void deployedLogbackConfigWritesARollingFileAndHasNoErrors() throws Exception {
        Path xml = ConfigFixtures.top().resolve("config/logback.xml");
        // an interrupt left on this (shared) test thread by an earlier test would make logback's
        // stop() report its clean-up wait as interrupted: that is not the config's doing
        Thread.interrupted();
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider does for its own context
        ctx.putProperty("CARDTERM_LOG_DIR", dir.toString());
        JoranConfigurator jc = new JoranConfigurator();
        jc.setContext(ctx);
        jc.doConfigure(xml.toFile());
        try {
            ctx.getLogger("cardterm.test").info("hello from the test");
            ctx.getLogger("com.pi4j.boardinfo.util.BoardInfoHelper").error("noise that must not be written");
            ctx.getLogger("io.netty.x").info("noise that must not be written");
        } finally {
            ctx.stop(); // drains the async queue and closes the file
        }
        List<Status> errors = ctx.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getEffectiveLevel() >= Status.WARN).toList();
        assertThat(errors).as("logback status warnings and errors").isEmpty();
        String log = Files.readString(dir.resolve("cardterm.log"));
        assertThat(log).contains("hello from the test").doesNotContain("noise");
    }
}
