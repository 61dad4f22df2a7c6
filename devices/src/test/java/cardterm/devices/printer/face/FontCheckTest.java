package cardterm.devices.printer.face;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FontCheckTest {
    /** A font file of the machine without Chinese glyphs (fonts-dejavu-core, which fontconfig depends on). */
    static final Path DEJAVU_FILE = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

    /** An installed physical font without Chinese glyphs (DejaVu comes with fontconfig); fails if none. */
    static Font latinOnlyFont() {
        for (String family : GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT)) {
            if (FontCheck.LOGICAL_FAMILIES.contains(family)) {
                continue;
            }
            Font f = new Font(family, Font.PLAIN, 12);
            if (f.canDisplay('A') && !f.canDisplay('张')) {
                return f;
            }
        }
        throw new AssertionError("this test needs an installed font without Chinese glyphs, e.g. fonts-dejavu-core");
    }

    @Test
    void byDefaultItIsTheBundledFontWhateverTheMachineHas() {
        FontCheck check = FontCheck.find(Optional.empty());

        assertThat(check).isInstanceOf(FontCheck.Found.class);
        FontCheck.Found found = (FontCheck.Found) check;
        assertThat(found.font().getFamily(Locale.ROOT)).isEqualTo(CardFont.FAMILY);
        assertThat(found.source()).isEqualTo("bundled font Cardterm Face Sans");
        assertThat(found.font().canDisplayUpTo("张三" + FontCheck.SAMPLE)).isEqualTo(-1);
        assertThat(check.health(Instant.EPOCH).state()).isEqualTo(DeviceState.ONLINE);
    }

    @Test
    void aFontThatCannotShowChineseIsMissingAsConfigurationHealthSayingWhatToDo() {
        Instant now = Instant.parse("2026-11-26T02:00:00Z");
        FontCheck check = FontCheck.of(latinOnlyFont());

        assertThat(check.ok()).isFalse();
        assertThat(((FontCheck.Missing) check).message())
                .contains("cannot show Chinese text")
                .contains("remove issuance.cardFont to use the bundled card font")
                .contains("fonts-noto-cjk");
        assertThat(check.health(now).reason()).isEqualTo(HealthReason.CONFIGURATION_ERROR);
        assertThat(check.health(now).state()).isEqualTo(DeviceState.OFFLINE);
        assertThat(check.health(now).since()).isEqualTo(now);
    }

    @Test
    void aConfiguredFontFileOfTheMachineIsUsedWhenItShowsChinese(@TempDir Path dir) throws Exception {
        // a CJK font file as a system would have it: the bundled one copied out
        Path file = dir.resolve("SomeCjk.otf");
        try (InputStream in = CardFont.class.getResourceAsStream(CardFont.RESOURCE)) {
            Files.copy(in, file);
        }
        FontCheck check = FontCheck.find(Optional.of(file));

        assertThat(check).isInstanceOf(FontCheck.Found.class);
        assertThat(((FontCheck.Found) check).source()).isEqualTo("file " + file);
    }

    @Test
    void aConfiguredFileThatIsMissingNoFontOrNotChineseIsReported(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.ttf");
        Path junk = Files.writeString(dir.resolve("junk.ttf"), "not a font");

        assertThat(((FontCheck.Missing) FontCheck.find(Optional.of(missing))).message())
                .contains("does not exist").contains("remove issuance.cardFont");
        assertThat(((FontCheck.Missing) FontCheck.fromFile(junk)).message())
                .contains("cannot be read").contains("fonts-noto-cjk");
        assertThat(DEJAVU_FILE).as("install fonts-dejavu-core").isRegularFile();
        assertThat(((FontCheck.Missing) FontCheck.fromFile(DEJAVU_FILE)).message())
                .contains("cannot show Chinese text");
    }
}
