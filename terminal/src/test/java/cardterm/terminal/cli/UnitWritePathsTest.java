package cardterm.terminal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config check} notes a data directory the hardened unit would not let the service write. */
class UnitWritePathsTest {
    @TempDir
    Path dir;

    Path unit() throws IOException {
        Path unit = dir.resolve("cardterm.service");
        Files.copy(Path.of("../config/systemd/cardterm.service"), unit, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return unit;
    }

    @Test
    void theDefaultDataDirectoryIsWritable() throws IOException {
        assertThat(UnitWritePaths.note(Path.of("/var/lib/cardterm"), unit(), dir.resolve("d"))).isEmpty();
        assertThat(UnitWritePaths.note(Path.of("/var/lib/cardterm/sub"), unit(), dir.resolve("d"))).isEmpty();
    }

    @Test
    void anotherDataDirectoryGetsANoteSayingWhatToAdd() throws IOException {
        assertThat(UnitWritePaths.note(Path.of("/srv/cardterm"), unit(), dir.resolve("d")).orElseThrow())
                .startsWith("note: terminal.dataDir /srv/cardterm is outside the directories the service may write "
                        + "(/var/lib/cardterm /var/log/cardterm")
                .endsWith("[Service] ReadWritePaths=/srv/cardterm");
    }

    @Test
    void aDropInThatAddsItSilencesTheNote() throws IOException {
        Path d = Files.createDirectories(dir.resolve("d"));
        Files.writeString(d.resolve("override.conf"), "[Service]\nReadWritePaths=/srv/cardterm\n");
        assertThat(UnitWritePaths.note(Path.of("/srv/cardterm"), unit(), d)).isEmpty();
        Files.writeString(d.resolve("zz.conf"), "[Service]\nReadWritePaths=\n");
        assertThat(UnitWritePaths.note(Path.of("/srv/cardterm"), unit(), d)).isPresent();
    }
}
