package cardterm.terminal.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core, the WCAG checker, run in the page a Selenium browser shows: {@link #violations}
 * injects {@code axe.min.js} and runs it on the whole document for WCAG 2.0 and 2.1, levels A and
 * AA. The script is the npm package locked in {@code docs/tools/package-lock.json}, installed by
 * {@code .ci/test} with {@code npm ci} into {@code terminal/target/doc-tools} (as for {@code
 * ContractToolsTest}); missing or not the locked one, it fails with the command that installs it.
 */
final class Axe {
    /** The rule sets checked. */
    static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String source;

    /** One rule broken: its id, impact, what it asks for, and the CSS selectors of the elements breaking it. */
    record Violation(String id, String impact, String help, List<String> targets) {
        @Override
        public String toString() {
            return id + " (" + impact + "): " + help + " - " + String.join(", ", targets);
        }
    }

    private Axe() {
    }

    /** Every violation of {@link #TAGS} in the page {@code browser} shows now. */
    static List<Violation> violations(WebDriver browser) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(script());
        }
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        Object r = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
                  .then((res) => done(JSON.stringify(res.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map((n) => n.target.join(' '))})))))
                  .catch((e) => done('ERROR ' + e));
                """, TAGS);
        String s = String.valueOf(r);
        if (s.startsWith("ERROR ")) {
            throw new AssertionError("axe.run failed: " + s.substring(6));
        }
        List<Violation> out = new ArrayList<>();
        try {
            for (JsonNode v : JSON.readTree(s)) {
                List<String> targets = new ArrayList<>();
                v.path("targets").forEach(t -> targets.add(t.asText()));
                out.add(new Violation(v.path("id").asText(), v.path("impact").asText(), v.path("help").asText(), targets));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** axe.min.js of the locked axe-core, read once. */
    static synchronized String script() {
        if (source != null) {
            return source;
        }
        Path repo = repoRoot();
        Path lock = repo.resolve("docs/tools/package-lock.json");
        List<Path> dirs = new ArrayList<>();
        String build = System.getProperty("cardterm.build.dir");
        if (build != null) {
            dirs.add(Path.of(build).resolve("doc-tools"));
        }
        dirs.add(repo.resolve("terminal/target/doc-tools"));
        String hint = "install it as .ci/test does: mkdir -p " + dirs.getLast() + " && cp " + repo.resolve("docs/tools")
                + "/package*.json " + dirs.getLast() + " && (cd " + dirs.getLast()
                + " && npm ci --ignore-scripts --no-audit --no-fund) - or run .ci/test";
        for (Path d : dirs) {
            Path axe = d.resolve("node_modules/axe-core/axe.min.js");
            if (Files.isRegularFile(axe)) {
                try {
                    if (Files.mismatch(d.resolve("package-lock.json"), lock) != -1) {
                        throw new AssertionError("the axe-core in " + d + " is not the one docs/tools/package-lock.json locks: " + hint);
                    }
                    source = Files.readString(axe, StandardCharsets.UTF_8);
                    return source;
                } catch (IOException e) {
                    throw new AssertionError("cannot read " + axe + ": " + e.getMessage() + "; " + hint);
                }
            }
        }
        throw new AssertionError("axe-core (axe.min.js) is not installed in " + dirs + ": " + hint);
    }

    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/tools/package-lock.json"))) {
                return p;
            }
        }
        throw new AssertionError("no docs/tools/package-lock.json above " + Path.of("").toAbsolutePath());
    }
}
