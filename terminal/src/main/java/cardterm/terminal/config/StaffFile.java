package cardterm.terminal.config;

import cardterm.devices.check.Problems;
import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.staff.StaffRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A staff registry from a file of its own, for a door that runs without a terminal's config (the
 * technicians' fleet page of {@code cardterm monitor --serve}): a YAML file with the same
 * {@code staff:} section as {@code terminal.yaml} (the terminal's config itself will do: its other
 * sections are known keys and not read), read by the same reader and checks. Every problem at once.
 */
public final class StaffFile {
    private StaffFile() {
    }

    /** The registry of {@code file}, or every problem with it (lines {@code key.path: message}). */
    public static Optional<StaffRegistry> load(Path file, Problems problems) {
        Problems found = new Problems();
        StaffRegistry staff = read(file, found);
        if (staff == null || !found.isEmpty()) {
            problems.addAll(found);
            return Optional.empty();
        }
        return Optional.of(staff);
    }

    private static StaffRegistry read(Path file, Problems problems) {
        String text = ConfigLoader.readText(file, problems);
        if (text == null) {
            return null;
        }
        JsonNode tree = YamlTree.read(text.startsWith("\uFEFF") ? text.substring(1) : text, problems);
        if (tree == null) {
            return null;
        }
        if (!tree.isObject()) {
            problems.add("", "expected a mapping with a staff: list at the top of the file");
            return null;
        }
        Path abs = file.toAbsolutePath();
        ConfigReader r = new ConfigReader(problems, Map.of(), abs.getParent() == null ? abs : abs.getParent(), false);
        Section root = r.root((ObjectNode) tree);
        if (root.raw("staff") == null) {
            problems.add("staff", "missing: list the staff who may sign in (id, name, role, pinHash; "
                    + "cardterm staff add writes one)");
            return null;
        }
        return StaffSection.map(r, root, null);
    }
}
