package cardterm.devices.printer.face;

import static cardterm.devices.printer.face.FaceFixtures.darkPixels;
import static cardterm.devices.printer.face.FaceFixtures.face;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cardterm.devices.check.Problems;
import cardterm.devices.printer.Panel;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardFaceRendererTest {
    /** A Private Use Area character: GBK maps it (user-defined area, used for rare name characters), fonts lack it. */
    private static final String RARE = "\uE000";

    private final CardFaceRenderer renderer = FaceFixtures.renderer();

    @Test
    void rendersTheNameWithAFontThatHasItsGlyphs() {
        BufferedImage img = renderer.renderFront(face("张三", null));

        assertThat(img.getWidth()).isEqualTo(Panel.WIDTH);
        assertThat(img.getHeight()).isEqualTo(Panel.HEIGHT);
        // the font has real glyphs for the name, not the missing-glyph box
        Font font = renderer.font();
        GlyphVector gv = font.createGlyphVector(new FontRenderContext(null, true, true), "张三");
        for (int i = 0; i < gv.getNumGlyphs(); i++) {
            assertThat(gv.getGlyphCode(i)).isNotEqualTo(font.getMissingGlyphCode());
        }
        // and the name is on the card, in its area, in black
        assertThat(darkPixels(img, CardFaceRenderer.nameArea(), 64)).isGreaterThan(800);
    }

    @Test
    void differentNamesDrawDifferentPixels() {
        BufferedImage a = renderer.renderFront(face("张三", null));
        BufferedImage b = renderer.renderFront(face("李四", null));
        Rectangle r = CardFaceRenderer.nameArea();

        assertThat(a.getRGB(r.x, r.y, r.width, r.height, null, 0, r.width))
                .isNotEqualTo(b.getRGB(r.x, r.y, r.width, r.height, null, 0, r.width));
    }

    @Test
    void numbersAndDateAreDrawnInTheirAreas() {
        BufferedImage img = renderer.renderFront(face("张三", null));

        assertThat(darkPixels(img, CardFaceRenderer.idNumberArea(), 64)).isGreaterThan(500);
        assertThat(darkPixels(img, CardFaceRenderer.cardNumberArea(), 64)).isGreaterThan(300);
        assertThat(darkPixels(img, CardFaceRenderer.issueDateArea(), 64)).isGreaterThan(300);
    }

    @Test
    void aLongNameIsShrunkToFitItsArea() {
        String longest = "欧阳".repeat(7) + "娜"; // 15 characters, 30 GBK bytes: the most the chip holds
        BufferedImage img = renderer.renderFront(face(longest, null));
        Rectangle r = CardFaceRenderer.nameArea();
        Rectangle right = new Rectangle(r.x + r.width, r.y, Panel.WIDTH - r.x - r.width, r.height);

        assertThat(darkPixels(img, r, 64)).isGreaterThan(2000);
        assertThat(darkPixels(img, right, 200)).isZero();
    }

    @Test
    void withoutPhotoTheFrameIsAnEmptyOutline() {
        BufferedImage img = renderer.renderFront(face("张三", null));
        Rectangle f = CardFaceRenderer.photoFrame();

        Rectangle topEdge = new Rectangle(f.x, f.y, f.width, 3);
        Rectangle inside = new Rectangle(f.x + 10, f.y + 10, f.width - 20, f.height - 20);
        assertThat(darkPixels(img, topEdge, 200)).isGreaterThan(f.width); // dashed: more than a third lit
        assertThat(darkPixels(img, inside, 255)).isZero();
    }

    @Test
    void aPhotoIsScaledIntoTheFrameKeepingItsColours() {
        byte[] jpeg = FaceFixtures.encode(FaceFixtures.photoImage(358, 441), "jpeg");
        byte[] png = FaceFixtures.encode(FaceFixtures.photoImage(1200, 1200), "png");

        for (byte[] photo : new byte[][] {jpeg, png}) {
            BufferedImage img = renderer.renderFront(face("张三", photo));
            Rectangle f = CardFaceRenderer.photoFrame();
            int red = 0;
            int green = 0;
            int blue = 0;
            for (int y = f.y; y < f.y + f.height; y++) {
                for (int x = f.x; x < f.x + f.width; x++) {
                    int rgb = img.getRGB(x, y);
                    int r = (rgb >> 16) & 0xFF;
                    int g = (rgb >> 8) & 0xFF;
                    int b = rgb & 0xFF;
                    red += r > g + 80 && r > b + 80 ? 1 : 0;
                    green += g > r + 80 && g > b + 80 ? 1 : 0;
                    blue += b > r + 80 && b > g + 80 ? 1 : 0;
                }
            }
            // the gradient runs red (top) to blue (bottom), with a green disc; the photo fills most of the frame
            assertThat(red).isGreaterThan(5_000);
            assertThat(green).isGreaterThan(5_000);
            assertThat(blue).isGreaterThan(5_000);
            assertThat(img.getRGB(f.x + f.width + 20, f.y + f.height / 2)).isEqualTo(0xFFFFFFFF);
        }
    }

    @Test
    void aNameTheFontCannotShowIsRefusedNotPrintedAsBoxesNamingEachCharacterOnce() {
        String name = "张" + RARE + "≒" + RARE;

        Problems problems = renderer.check(face(name, null));
        assertThat(problems.lines()).containsExactly(
                "citizen.name: U+E000 cannot be drawn by the card font (Cardterm Face Sans)",
                "citizen.name: '≒' (U+2252) cannot be drawn by the card font (Cardterm Face Sans)");

        assertThatThrownBy(() -> renderer.renderFront(face(name, null)))
                .isInstanceOf(CardFaceException.class)
                .satisfies(e -> assertThat(((CardFaceException) e).problems())
                        .extracting(Problems.Problem::field).containsExactly("citizen.name", "citizen.name"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        byte[] notAnImage = "GIF89a this is no photo".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] brokenJpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x01, 0x02};

        Problems a = renderer.check(face("张" + RARE, notAnImage));
        Problems b = renderer.check(face("张三", brokenJpeg));

        assertThat(a.list()).extracting(Problems.Problem::field).containsExactly("citizen.name", "photo");
        assertThat(a.lines().get(1)).contains("neither JPEG nor PNG");
        assertThat(b.lines()).singleElement().asString().contains("photo: is not a readable jpeg image");
    }

    @Test
    void aFontWithoutChineseCannotBeTheCardFont() {
        Font latin = FontCheckTest.latinOnlyFont();

        assertThatThrownBy(() -> new CardFaceRenderer(latin, CardFaceRenderer.TITLE_WENZHOU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bundled card font");
    }

    @Test
    void writesAPngThatReadsBack(@TempDir Path dir) throws Exception {
        BufferedImage img = new CardFaceRenderer(renderer.font(), CardFaceRenderer.TITLE_WENZHOU)
                .renderFront(face("张三", null));
        Path file = dir.resolve("cards/front.png");

        CardFacePng.write(img, file);

        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getWidth()).isEqualTo(Panel.WIDTH);
        assertThat(back.getRGB(500, 300)).isEqualTo(img.getRGB(500, 300));
        assertThat(dir.resolve("cards")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void faceToStringMasksPersonalData() {
        CardFace f = face("张三", new byte[] {1, 2, 3});

        assertThat(f.toString()).doesNotContain("三").doesNotContain(FaceFixtures.ID).contains("3 bytes");
        assertThatThrownBy(() -> new CardFace(f.name(), f.idNumber(), "a1234567", f.issueDate(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9 upper-case letters and digits");
    }
}
