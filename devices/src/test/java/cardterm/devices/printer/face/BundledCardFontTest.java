package cardterm.devices.printer.face;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The font shipped in the jar: renamed as the OFL asks, licensed, and drawing every name the chip can hold. */
class BundledCardFontTest {
    private final Font font = CardFont.bundledOrThrow();

    /** Code points of {@code text} that {@code font} draws as .notdef (glyph 0), not with a glyph of its own. */
    static List<Integer> notdef(Font font, String text) {
        FontRenderContext frc = new FontRenderContext(null, true, true);
        List<Integer> bad = new ArrayList<>();
        text.codePoints().forEach(cp -> {
            if (font.createGlyphVector(frc, Character.toString(cp)).getGlyphCode(0) == font.getMissingGlyphCode()) {
                bad.add(cp);
            }
        });
        return bad;
    }

    /** Every code point Java's GBK encoder takes (what CitizenName accepts), but controls and private use. */
    static String gbkCharacters() {
        CharsetEncoder gbk = Charset.forName("GBK").newEncoder();
        StringBuilder s = new StringBuilder();
        for (int cp = 0; cp <= 0xFFFF; cp++) {
            if (!Character.isSurrogate((char) cp) && !Character.isISOControl(cp)
                    && Character.getType(cp) != Character.PRIVATE_USE && gbk.canEncode((char) cp)) {
                s.append((char) cp);
            }
        }
        return s.toString();
    }

    @Test
    void isRenamedAsTheOflAsksOfAModifiedVersion() {
        assertThat(font.getFamily(Locale.ROOT)).isEqualTo("Cardterm Face Sans");
        assertThat(font.getFontName(Locale.ROOT)).isEqualTo("Cardterm Face Sans Regular");
        assertThat(font.getPSName()).isEqualTo("CardtermFaceSans-Regular");
        for (String name : List.of(font.getFamily(Locale.ROOT), font.getFontName(Locale.ROOT), font.getPSName(),
                font.getFamily(Locale.CHINA), font.getFontName(Locale.CHINA))) {
            assertThat(name).doesNotContain("Noto").doesNotContain("Source");
        }
    }

    @Test
    void itsLicenceShipsBesideIt() throws Exception {
        String licence;
        try (InputStream in = CardFont.class.getResourceAsStream(CardFont.LICENCE_RESOURCE)) {
            assertThat(in).as(CardFont.LICENCE_RESOURCE).isNotNull();
            licence = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(licence)
                .contains("Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.")
                .contains("Modified Version of Noto Sans CJK SC Regular 2.004")
                .contains("renamed \"Cardterm Face Sans\"")
                .contains("SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007")
                .contains("5) The Font Software, modified or unmodified")
                .contains("OTHER DEALINGS IN THE FONT SOFTWARE.");
    }

    @Test
    void drawsEveryCharacterTheChipsNameFieldCanHold() {
        String gbk = gbkCharacters();

        assertThat(gbk.length()).isEqualTo(21_887);
        assertThat(gbk.codePoints().filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN).count())
                .isEqualTo(20_934);
        // U+2252 (≒, a maths sign) is the one GBK character Noto Sans CJK SC has no glyph for
        assertThat(notdef(font, gbk)).containsExactly(0x2252);
        assertThat(CardFont.undrawable(font, gbk)).containsExactly(0x2252);
    }

    @Test
    void drawsTheFacesOwnTextsDigitsLatinLettersAndNameSeparators() {
        String face = CardFaceRenderer.TITLE_SOCIAL_SECURITY + CardFaceRenderer.TITLE_WENZHOU
                + CardFaceRenderer.LABEL_NAME + CardFaceRenderer.LABEL_ID + CardFaceRenderer.LABEL_CARD
                + CardFaceRenderer.LABEL_DATE + "年月日0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                + "·・-－ " + FontCheck.SAMPLE;

        assertThat(notdef(font, face)).isEmpty();
    }
}
