package cardterm.terminal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub team's own tools pass on {@code docs/}: Ajv's CLI compiles every JSON Schema in strict
 * mode ({@code ajv compile --spec=draft7 --strict=true -c ajv-formats}) with nothing to say, and the
 * AsyncAPI parser with the AsyncAPI CLI's rulesets finds no diagnostic at all in {@code
 * asyncapi.yaml}: no error, and no governance note (warning, information, hint) either.
 *
 * <p>The tools are the npm packages locked in {@code docs/tools/package-lock.json}, installed by
 * {@code .ci/test} with {@code npm ci} into {@code terminal/target/doc-tools}. Missing node or a
 * missing or outdated install fails the test with the command that fixes it. About 15 s, most of
 * it the AsyncAPI parser (two documents).
 */
class ContractToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_S = 180;

    private static Path docs;
    private static Path schemas;
    private static Path tools;

    /** What a tool printed (standard output and error together) and its exit code. */
    private record Run(int exit, String output) {
        List<String> lines() {
            return output.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    @BeforeAll
    static void findTools() throws IOException, InterruptedException {
        schemas = ContractSchemas.schemasDir();
        docs = schemas.getParent();
        String build = System.getProperty("cardterm.build.dir");
        tools = (build != null ? Path.of(build) : docs.getParent().resolve("terminal").resolve("target")).resolve("doc-tools");
        String hint = "install them as .ci/test does: mkdir -p " + tools + " && cp " + docs.resolve("tools") + "/package*.json "
                + tools + " && (cd " + tools + " && npm ci --ignore-scripts --no-audit --no-fund)";
        try {
            Run node = run(docs, Map.of(), "node", "--version");
            assertThat(node.exit()).as("node --version").isZero();
        } catch (IOException e) {
            fail("node is not installed (apt-get install nodejs npm; .ci/test does it): " + e.getMessage());
        }
        Path lock = tools.resolve("package-lock.json");
        if (!Files.isRegularFile(tools.resolve("node_modules/ajv-cli/dist/index.js"))
                || !Files.isRegularFile(tools.resolve("node_modules/@asyncapi/parser/package.json"))) {
            fail("the contract tools (ajv-cli, @asyncapi/parser) are not installed in " + tools + ": " + hint);
        }
        if (!Files.isRegularFile(lock) || Files.mismatch(lock, docs.resolve("tools/package-lock.json")) != -1) {
            fail("the contract tools in " + tools + " are not the ones docs/tools/package-lock.json locks: " + hint);
        }
    }

    @Test
    void everySchemaCompilesUnderAjvStrictMode() throws Exception {
        List<String> files = dependenciesFirst();
        Run ajv = ajv(schemas, files);

        List<String> notValid = ajv.lines().stream().filter(l -> !l.matches("schema \\S+ is valid")).toList();
        assertThat(notValid).as("what ajv said besides 'is valid' (exit %d)", ajv.exit()).isEmpty();
        assertThat(ajv.exit()).as("ajv's exit code").isZero();
        assertThat(ajv.lines()).hasSize(files.size());
    }

    @Test
    void ajvStrictModeCatchesWhatItShould(@TempDir Path dir) throws Exception {
        // the shape that failed before: required in a branch whose type Ajv cannot see
        Files.writeString(dir.resolve("loose.json"), """
                {"$schema": "http://json-schema.org/draft-07/schema#",
                 "if": {"properties": {"ok": {"const": true}}, "required": ["ok"]}, "then": {"required": ["result"]}}
                """);
        Run ajv = ajv(dir, List.of("loose.json"));

        assertThat(ajv.exit()).isNotZero();
        assertThat(ajv.output()).contains("loose.json is invalid").contains("strict mode");
    }

    @Test
    void asyncApiDocumentHasNoDiagnosticAtAll() throws Exception {
        Run check = checkAsyncApi(docs.resolve("asyncapi.yaml"));

        assertThat(check.lines()).as("the AsyncAPI parser's diagnostics (exit %d)", check.exit()).containsExactly("diagnostics=0");
        assertThat(check.exit()).isZero();
    }

    @Test
    void asyncApiCheckCountsGovernanceNotes(@TempDir Path dir) throws Exception {
        // valid, but an older AsyncAPI version: the CLI's "governance issues", an information note
        Path doc = Files.writeString(dir.resolve("old.yaml"), """
                asyncapi: 3.0.0
                id: urn:example:old
                info: {title: old, version: 1.0.0, description: an older AsyncAPI version}
                defaultContentType: application/json
                channels: {}
                """);
        Run check = checkAsyncApi(doc);

        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.output()).contains("information asyncapi-latest-version").contains("diagnostics=1");
    }

    private static Run ajv(Path dir, List<String> files) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", tools.resolve("node_modules/ajv-cli/dist/index.js").toString(),
                "compile", "--spec=draft7", "--strict=true", "-c", "ajv-formats"));
        files.forEach(f -> cmd.addAll(List.of("-s", f)));
        return run(dir, Map.of(), cmd.toArray(String[]::new));
    }

    private static Run checkAsyncApi(Path doc) throws IOException, InterruptedException {
        return run(docs, Map.of("NODE_PATH", tools.resolve("node_modules").toString()),
                "node", docs.resolve("tools/check-asyncapi.cjs").toString(), doc.toString());
    }

    /**
     * Every schema file, relative to {@code docs/schemas}, each after the files it refers to: ajv
     * compiles each file given with {@code -s} as it comes, so what it refers to must be there
     * already (the files cannot also be given with {@code -r}: ajv refuses an {@code $id} twice).
     */
    private static List<String> dependenciesFirst() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(schemas)) {
            all = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        Set<Path> ordered = new LinkedHashSet<>();
        for (Path f : all) {
            visit(f, ordered, new LinkedHashSet<>());
        }
        assertThat(ordered).containsExactlyInAnyOrderElementsOf(all);
        return ordered.stream().map(p -> schemas.relativize(p).toString().replace('\\', '/')).toList();
    }

    private static void visit(Path file, Set<Path> done, Set<Path> path) throws IOException {
        if (done.contains(file)) {
            return;
        }
        if (!path.add(file)) {
            fail("schema files refer to each other in a circle: " + path);
        }
        for (Path dep : fileRefs(file)) {
            visit(dep, done, path);
        }
        path.remove(file);
        done.add(file);
    }

    private static Set<Path> fileRefs(Path file) throws IOException {
        Set<Path> out = new LinkedHashSet<>();
        collect(JSON.readTree(file.toFile()), file, out);
        return out;
    }

    private static void collect(JsonNode node, Path file, Set<Path> out) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")) {
                out.add(file.getParent().resolve(ref.asText().split("#", 2)[0]).normalize());
            }
            node.elements().forEachRemaining(n -> collect(n, file, out));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(n -> collect(n, file, out));
        }
    }

    private static Run run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(Arrays.toString(command) + " did not end within " + TIMEOUT_S + " s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
