package cardterm.terminal.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories the installed systemd unit lets the service write (ProtectSystem=strict +
 * ReadWritePaths=, from the unit and its drop-ins): {@code config check} notes a data directory
 * outside them, which the service could not write.
 */
final class UnitWritePaths {
    static final List<Path> UNITS = List.of(Path.of("/etc/systemd/system/cardterm.service"),
            Path.of("/usr/lib/systemd/system/cardterm.service"), Path.of("/lib/systemd/system/cardterm.service"));

    private UnitWritePaths() {
    }

    /** The note for {@code dataDir}, if the unit is installed here and does not let the service write there. */
    static Optional<String> note(Path dataDir) {
        for (Path unit : UNITS) {
            if (Files.isRegularFile(unit)) {
                return note(dataDir, unit, Path.of("/etc/systemd/system/cardterm.service.d"));
            }
        }
        return Optional.empty();
    }

    static Optional<String> note(Path dataDir, Path unit, Path dropIns) {
        List<Path> writable = writable(unit, dropIns);
        Path dir = dataDir.toAbsolutePath().normalize();
        for (Path w : writable) {
            if (dir.startsWith(w)) {
                return Optional.empty();
            }
        }
        return Optional.of("note: terminal.dataDir " + dir + " is outside the directories the service may write ("
                + String.join(" ", writable.stream().map(Path::toString).toList()) + ", ReadWritePaths of " + unit
                + "): add it with `systemctl edit cardterm`: [Service] ReadWritePaths=" + dir);
    }

    /** ReadWritePaths of the unit, then of its drop-ins in name order (an empty value clears the list). */
    static List<Path> writable(Path unit, Path dropIns) {
        List<Path> files = new ArrayList<>(List.of(unit));
        if (Files.isDirectory(dropIns)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dropIns, "*.conf")) {
                List<Path> confs = new ArrayList<>();
                s.forEach(confs::add);
                confs.sort(null);
                files.addAll(confs);
            } catch (IOException e) {
                // unreadable drop-ins: judge by the unit alone
            }
        }
        List<Path> paths = new ArrayList<>();
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines) {
                String l = line.strip();
                if (!l.startsWith("ReadWritePaths=")) {
                    continue;
                }
                String value = l.substring("ReadWritePaths=".length()).strip();
                if (value.isEmpty()) {
                    paths.clear();
                }
                for (String p : value.split("\\s+")) {
                    String clean = p.replaceFirst("^[-+]+", "");
                    if (clean.startsWith("/")) {
                        paths.add(Path.of(clean).normalize());
                    }
                }
            }
        }
        return paths;
    }
}
