package cardterm.devices.printer.face;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.HealthReason;
import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the card face has a font that shows Chinese names: {@link Found} with the font, or
 * {@link Missing} with a message that says what to do. By default it is the font shipped in the jar
 * ({@link CardFont}): every terminal prints the same face whatever fonts its machine has. A font
 * file of the machine's own stays possible as a configured choice ({@code issuance.cardFont}). The
 * terminal shows the result as health at start; a card is never printed with boxes ("tofu") for
 * characters.
 */
public sealed interface FontCheck permits FontCheck.Found, FontCheck.Missing {

    /** Debian packages with CJK fonts a configured font file can come from. */
    List<String> PACKAGES = List.of("fonts-noto-cjk", "fonts-wqy-microhei");

    /** What to do when a configured font does not do. */
    String REMEDY = "remove issuance.cardFont to use the bundled card font, or configure a CJK font file (e.g. from "
            + String.join(" or ", PACKAGES) + ")";

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

    /** The configured font file when given, else the bundled card font. */
    static FontCheck find(Optional<Path> configuredFile) {
        return configuredFile.map(FontCheck::fromFile).orElseGet(FontCheck::bundled);
    }

    /** The card font shipped in the jar ({@link CardFont}). */
    static FontCheck bundled() {
        try {
            return of(CardFont.bundled()) instanceof Found f ? new Found(f.font(), "bundled font " + CardFont.FAMILY)
                    : new Missing("the bundled card font cannot show Chinese text (a broken build)");
        } catch (IOException e) {
            return new Missing(e.getMessage() + " (a broken build); configure a CJK font file in issuance.cardFont");
        }
    }

    /** Loads a font file (TrueType, OpenType or a TrueType collection) and checks it. */
    static FontCheck fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return new Missing("card font file " + file + " does not exist; " + REMEDY);
        }
        Font[] fonts;
        try {
            fonts = CardFont.createFonts(file);
        } catch (FontFormatException | IOException e) {
            return new Missing("card font file " + file + " cannot be read as a TrueType/OpenType font ("
                    + e.getMessage() + "); " + REMEDY);
        }
        for (Font f : fonts) {
            if (f.canDisplayUpTo(SAMPLE) == -1) {
                return new Found(f.deriveFont(Font.PLAIN, 12f), "file " + file);
            }
        }
        return new Missing("card font file " + file + " cannot show Chinese text; " + REMEDY);
    }

    /** Checks one font against {@link #SAMPLE}. */
    static FontCheck of(Font font) {
        int bad = font.canDisplayUpTo(SAMPLE);
        String family = font.getFamily(Locale.ROOT);
        if (bad == -1) {
            return new Found(font, "font " + family);
        }
        return new Missing("font " + family + " cannot show Chinese text (no glyph for '"
                + SAMPLE.charAt(bad) + "'); " + REMEDY);
    }
}
