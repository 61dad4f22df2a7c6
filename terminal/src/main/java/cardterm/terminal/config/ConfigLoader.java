package cardterm.terminal.config;

import cardterm.devices.check.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@code terminal.yaml}: YAML into a tree, {@code CARDTERM_...} environment variables laid
 * over it, then mapped by hand into {@link TerminalConfig}. Every problem is reported at once,
 * each with its key path; bad input never throws.
 *
 * <p>Relative paths in the file are resolved against the file's directory.
 */
public final class ConfigLoader {
    /** Larger files are refused: a terminal's config is a few KiB. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    /**
     * {@code CARDTERM_} variables that are not config keys (launcher and logging) and so are not
     * reported as unknown.
     */
    public static final Set<String> NON_CONFIG_ENV =
            Set.of("CARDTERM_LOG_DIR", "CARDTERM_LOG_LEVEL", "CARDTERM_JAR", "CARDTERM_JAVA_OPTS");

    /** Whether referenced files (keys, certificates, fonts) are checked to exist and be readable. */
    public enum FileChecks {
        CHECK, SKIP
    }

    private ConfigLoader() {
    }

    /** Loads {@code file} with {@code env} laid over it, checking referenced files. */
    public static ConfigResult load(Path file, Map<String, String> env) {
        return load(file, env, FileChecks.CHECK);
    }

    /** Loads {@code file} with {@code env} laid over it. */
    public static ConfigResult load(Path file, Map<String, String> env, FileChecks fileChecks) {
        Problems problems = new Problems();
        String text = readText(file, problems);
        if (text == null) {
            return new ConfigResult.Invalid(problems);
        }
        Path abs = file.toAbsolutePath();
        Path baseDir = abs.getParent() == null ? abs : abs.getParent();
        return parse(text, baseDir, env, fileChecks);
    }

    /**
     * Loads YAML text; relative paths in it are resolved against {@code baseDir}.
     */
    public static ConfigResult parse(String yaml, Path baseDir, Map<String, String> env, FileChecks fileChecks) {
        Problems problems = new Problems();
        String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
        JsonNode tree = YamlTree.read(text, problems);
        if (tree == null) {
            return new ConfigResult.Invalid(problems);
        }
        if (!tree.isObject()) {
            problems.add("", "expected a mapping of keys (terminal:, hub:, ...) at the top of the file");
            return new ConfigResult.Invalid(problems);
        }
        ObjectNode root = (ObjectNode) tree;
        Map<String, String> origin = EnvOverlay.apply(root, env, NON_CONFIG_ENV, problems);
        TerminalConfig config;
        try {
            config = ConfigMapper.map(root, origin, baseDir.toAbsolutePath(), fileChecks == FileChecks.CHECK, problems);
        } catch (RuntimeException e) {
            if (problems.isEmpty()) {
                throw e; // a bug, not bad input
            }
            // a record refused a value the mapper let through after a reported problem: the
            // problems already say what is wrong
            return new ConfigResult.Invalid(problems);
        }
        if (config == null || !problems.isEmpty()) {
            return new ConfigResult.Invalid(problems);
        }
        return new ConfigResult.Valid(config);
    }

    static String readText(Path file, Problems problems) {
        try {
            if (Files.isDirectory(file)) {
                problems.add("", "is a directory, not a config file");
                return null;
            }
            if (!Files.exists(file)) {
                problems.add("", "file not found");
                return null;
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                problems.add("", "the file is too large (" + size + " bytes; at most " + MAX_FILE_BYTES + ")");
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                problems.add("", "the file is not UTF-8 text");
                return null;
            }
        } catch (NoSuchFileException e) {
            problems.add("", "file not found");
        } catch (AccessDeniedException e) {
            problems.add("", "cannot read the file: permission denied");
        } catch (IOException | SecurityException e) {
            problems.add("", "cannot read the file: " + YamlTree.oneLine(String.valueOf(e.getMessage())));
        }
        return null;
    }
}
