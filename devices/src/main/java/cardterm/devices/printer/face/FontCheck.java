package cardterm.devices.printer.face;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthReason;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the card face has a font that shows Chinese names: {@link Found} with the font, or
 * {@link Missing} with a message that says what to install. The terminal shows the result as
 * health at start; a card is never printed with boxes ("tofu") for characters.
 */
public sealed interface FontCheck permits FontCheck.Found, FontCheck.Missing {

    /** Debian packages that give a suitable font, in order of preference. */
    List<String> PACKAGES = List.of("fonts-wqy-microhei", "fonts-noto-cjk");

    /** Installed font families tried first, in order. */
    List<String> PREFERRED_FAMILIES = List.of(
            "WenQuanYi Micro Hei",
            "WenQuanYi Zen Hei",
            "Noto Sans CJK SC",
            "Noto Sans SC",
            "Source Han Sans SC",
            "Source Han Sans CN",
            "Noto Serif CJK SC",
            "Droid Sans Fallback");

    /**
     * Text a card font must show: the fixed texts of the face and common surname characters. A name
     * is checked again on its own when its card is rendered.
     */
    String SAMPLE = "社会保障卡温州市民姓名号码卡号发卡日期年月日照片·"
            + "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖";

    /** Java's logical fonts: they borrow glyphs from other fonts, so they say little about what is installed. */
    Set<String> LOGICAL_FAMILIES = Set.of("Dialog", "DialogInput", "Monospaced", "SansSerif", "Serif");

    /** True when a usable font was found. */
    boolean ok();

    /** The check as health: ONLINE/OK, or OFFLINE/CONFIGURATION_ERROR with the message. */
    DeviceHealth health(Instant now);

    /** A font that shows {@link #SAMPLE}; {@code source} says where it came from (family or file). */
    record Found(Font font, String source) implements FontCheck {
        public Found {
            Objects.requireNonNull(font, "font");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public DeviceHealth health(Instant now) {
            return DeviceHealth.online(now);
        }
    }

    /** No usable font; {@code message} tells a technician what to do. */
    record Missing(String message) implements FontCheck {
        public Missing {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean ok() {
            return false;
        }

        @Override
        public DeviceHealth health(Instant now) {
            return DeviceHealth.of(HealthReason.CONFIGURATION_ERROR, message, now);
        }
    }

    /** The configured font file when given, else the installed fonts. */
    static FontCheck find(Optional<Path> configuredFile) {
        return configuredFile.map(FontCheck::fromFile).orElseGet(FontCheck::installed);
    }

    /**
     * Searches the installed fonts: the {@link #PREFERRED_FAMILIES} first, then any other physical
     * font that shows {@link #SAMPLE}.
     */
    static FontCheck installed() {
        GraphicsEnvironment ge = GraphicsEnvironment.getLocalGraphicsEnvironment();
        List<String> families = List.of(ge.getAvailableFontFamilyNames(Locale.ROOT));
        List<Font> candidates = new ArrayList<>();
        for (String preferred : PREFERRED_FAMILIES) {
            if (families.contains(preferred)) {
                candidates.add(new Font(preferred, Font.PLAIN, 12));
            }
        }
        for (String family : families) {
            if (!PREFERRED_FAMILIES.contains(family) && !LOGICAL_FAMILIES.contains(family)) {
                candidates.add(new Font(family, Font.PLAIN, 12));
            }
        }
        return choose(candidates);
    }

    /** Loads a font file (TrueType, OpenType or a TrueType collection) and checks it. */
    static FontCheck fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return new Missing("card font file " + file + " does not exist; install " + packagesText()
                    + " or configure an existing CJK font file");
        }
        Font[] fonts;
        try {
            fonts = Font.createFonts(file.toFile());
        } catch (FontFormatException | IOException e) {
            return new Missing("card font file " + file + " cannot be read as a TrueType/OpenType font ("
                    + e.getMessage() + "); install " + packagesText() + " or configure a CJK font file");
        }
        for (Font f : fonts) {
            if (f.canDisplayUpTo(SAMPLE) == -1) {
                return new Found(f.deriveFont(Font.PLAIN, 12f), "file " + file);
            }
        }
        return new Missing("card font file " + file + " cannot show Chinese text; install " + packagesText()
                + " or configure a CJK font file");
    }

    /** The first candidate that shows {@link #SAMPLE}, or {@link Missing}. */
    static FontCheck choose(List<Font> candidates) {
        for (Font f : candidates) {
            FontCheck c = of(f);
            if (c.ok()) {
                return c;
            }
        }
        return new Missing("no installed font can show Chinese names on the card (tried " + candidates.size()
                + " font families); install the package " + packagesText());
    }

    /** Checks one font against {@link #SAMPLE}. */
    static FontCheck of(Font font) {
        int bad = font.canDisplayUpTo(SAMPLE);
        String family = font.getFamily(Locale.ROOT);
        if (bad == -1) {
            return new Found(font, "font " + family);
        }
        return new Missing("font " + family + " cannot show Chinese text (no glyph for '"
                + SAMPLE.charAt(bad) + "'); install the package " + packagesText());
    }

    private static String packagesText() {
        return String.join(" or ", PACKAGES);
    }
}
