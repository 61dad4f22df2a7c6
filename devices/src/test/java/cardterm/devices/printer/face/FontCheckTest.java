package cardterm.devices.printer.face;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FontCheckTest {
    /** Installed by the Debian package fonts-wqy-microhei, which the project requires (test-rig.md). */
    static final Path WQY_FILE = Path.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");

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
    void findsTheInstalledChineseFontPreferringWenQuanYi() {
        FontCheck check = FontCheck.find(Optional.empty());

        assertThat(check).isInstanceOf(FontCheck.Found.class);
        FontCheck.Found found = (FontCheck.Found) check;
        assertThat(found.font().getFamily(Locale.ROOT)).isEqualTo("WenQuanYi Micro Hei");
        assertThat(found.font().canDisplayUpTo("张三" + FontCheck.SAMPLE)).isEqualTo(-1);
        assertThat(check.health(Instant.EPOCH).state()).isEqualTo(DeviceState.ONLINE);
    }

    @Test
    void aFontThatCannotShowChineseIsReportedWithThePackageToInstall() {
        FontCheck check = FontCheck.of(latinOnlyFont());

        assertThat(check.ok()).isFalse();
        assertThat(((FontCheck.Missing) check).message())
                .contains("cannot show Chinese text")
                .contains("fonts-wqy-microhei")
                .contains("fonts-noto-cjk");
    }

    @Test
    void noCandidateAtAllIsMissingAndShowsAsConfigurationHealth() {
        Instant now = Instant.parse("2026-11-26T02:00:00Z");

        FontCheck none = FontCheck.choose(List.of());
        FontCheck onlyLatin = FontCheck.choose(List.of(latinOnlyFont()));

        for (FontCheck c : List.of(none, onlyLatin)) {
            assertThat(c).isInstanceOf(FontCheck.Missing.class);
            assertThat(c.health(now).reason()).isEqualTo(HealthReason.CONFIGURATION_ERROR);
            assertThat(c.health(now).state()).isEqualTo(DeviceState.OFFLINE);
            assertThat(c.health(now).message()).contains("install the package fonts-wqy-microhei or fonts-noto-cjk");
            assertThat(c.health(now).since()).isEqualTo(now);
        }
    }

    @Test
    void aConfiguredFontFileIsUsedWhenItShowsChinese() {
        FontCheck check = FontCheck.find(Optional.of(WQY_FILE));

        assertThat(check).as("font file %s (package fonts-wqy-microhei)", WQY_FILE).isInstanceOf(FontCheck.Found.class);
        assertThat(((FontCheck.Found) check).source()).contains(WQY_FILE.toString());
    }

    @Test
    void aConfiguredFileThatIsMissingOrNoFontIsReported(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.ttf");
        Path junk = Files.writeString(dir.resolve("junk.ttf"), "not a font");

        assertThat(((FontCheck.Missing) FontCheck.fromFile(missing)).message())
                .contains("does not exist").contains("fonts-wqy-microhei");
        assertThat(((FontCheck.Missing) FontCheck.fromFile(junk)).message())
                .contains("cannot be read").contains("fonts-noto-cjk");
    }
}
