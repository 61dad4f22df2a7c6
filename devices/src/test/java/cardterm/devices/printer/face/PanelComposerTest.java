package cardterm.devices.printer.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cardterm.devices.printer.Panel;
import cardterm.devices.printer.RibbonType;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PanelComposerTest {
    private static final int K_THRESHOLD = PanelSplitter.DEFAULT_K_THRESHOLD;

    private static boolean dark(int rgb) {
        return ((rgb >> 16) & 0xFF) < K_THRESHOLD && ((rgb >> 8) & 0xFF) < K_THRESHOLD && (rgb & 0xFF) < K_THRESHOLD;
    }

    @Test
    void colourRoundTripKeepsBlackTextBlackAndColourExact() {
        byte[] photo = FaceFixtures.encode(FaceFixtures.photoImage(358, 441), "png");
        BufferedImage card = FaceFixtures.renderer().renderFront(FaceFixtures.face("张三", photo));

        BufferedImage printed = PanelComposer.compose(new PanelSplitter().split(card, RibbonType.YMCKO));

        int black = 0;
        int maxDiff = 0;
        for (int y = 0; y < Panel.HEIGHT; y++) {
            for (int x = 0; x < Panel.WIDTH; x++) {
                int a = card.getRGB(x, y) & 0xFFFFFF;
                int b = printed.getRGB(x, y) & 0xFFFFFF;
                if (dark(a)) {
                    assertThat(b).as("dark pixel at %d,%d prints solid black", x, y).isZero();
                    black++;
                } else {
                    for (int shift = 0; shift <= 16; shift += 8) {
                        maxDiff = Math.max(maxDiff, Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)));
                    }
                }
            }
        }
        assertThat(black).isGreaterThan(5_000);
        assertThat(maxDiff).as("colour pixels keep their colour").isLessThanOrEqualTo(2);
        Rectangle name = CardFaceRenderer.nameArea();
        assertThat(FaceFixtures.darkPixels(printed, name, 1)).isEqualTo(FaceFixtures.darkPixels(card, name, K_THRESHOLD));
        // the title band stays blue
        int band = printed.getRGB(20, 20);
        assertThat(band & 0xFF).isGreaterThan((band >> 16) & 0xFF);
    }

    @Test
    void monoRoundTripIsBlackAndWhiteWithTheTextKept() {
        BufferedImage card = FaceFixtures.renderer().renderFront(FaceFixtures.face("张三", null));

        BufferedImage printed = PanelComposer.compose(new PanelSplitter().split(card, RibbonType.K));

        for (int y = 0; y < Panel.HEIGHT; y += 3) {
            for (int x = 0; x < Panel.WIDTH; x += 3) {
                assertThat(printed.getRGB(x, y) & 0xFFFFFF).isIn(0, 0xFFFFFF);
            }
        }
        Rectangle name = CardFaceRenderer.nameArea();
        assertThat(FaceFixtures.darkPixels(printed, name, 1))
                .isGreaterThan(FaceFixtures.darkPixels(card, name, K_THRESHOLD) * 8 / 10);
    }

    @Test
    void refusesWrongSizesAndIncompleteColour() {
        byte[] colour = new byte[Panel.Y.byteCount()];
        byte[] k = new byte[Panel.K.byteCount()];

        assertThatThrownBy(() -> PanelComposer.compose(Map.of(Panel.K, new byte[100])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("82296");
        assertThatThrownBy(() -> PanelComposer.compose(Map.of(Panel.Y, colour, Panel.K, k)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> PanelComposer.compose(Map.of(Panel.O, new byte[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no panel that prints");
    }

    @Test
    void emptyPanelsComposeAWhiteCard() {
        BufferedImage img = PanelComposer.compose(Map.of(Panel.K, new byte[Panel.K.byteCount()]));

        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(img.getRGB(1015, 647) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }
}
