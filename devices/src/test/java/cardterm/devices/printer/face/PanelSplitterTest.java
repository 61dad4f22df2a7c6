package cardterm.devices.printer.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cardterm.devices.printer.Panel;
import cardterm.devices.printer.RibbonType;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PanelSplitterTest {

    private static BufferedImage white() {
        BufferedImage img = new BufferedImage(Panel.WIDTH, Panel.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, Panel.WIDTH, Panel.HEIGHT);
        g.dispose();
        return img;
    }

    /** Black at (0,0) (7,0) (8,0) (1015,0) (0,1) (9,647). */
    private static BufferedImage knownPattern() {
        BufferedImage img = white();
        int[][] black = {{0, 0}, {7, 0}, {8, 0}, {1015, 0}, {0, 1}, {9, 647}};
        for (int[] p : black) {
            img.setRGB(p[0], p[1], 0x000000);
        }
        return img;
    }

    private static void assertKnownPacking(byte[] k) {
        assertThat(k).hasSize(82_296);
        byte[] expected = new byte[82_296];
        expected[0] = (byte) 0x81;           // x 0 and x 7
        expected[1] = (byte) 0x80;           // x 8
        expected[126] = (byte) 0x01;         // x 1015, last bit of row 0
        expected[127] = (byte) 0x80;         // row 1, x 0
        expected[647 * 127 + 1] = (byte) 0x40; // row 647, x 9
        assertThat(k).isEqualTo(expected);
    }

    @Test
    void ymckoPanelsHaveTheProtocolSizesInDownloadOrder() {
        Map<Panel, byte[]> panels = new PanelSplitter().split(white(), RibbonType.YMCKO);

        assertThat(panels.keySet()).containsExactlyElementsOf(RibbonType.YMCKO.panels());
        assertThat(panels.get(Panel.Y)).hasSize(658_368);
        assertThat(panels.get(Panel.M)).hasSize(658_368);
        assertThat(panels.get(Panel.C)).hasSize(658_368);
        assertThat(panels.get(Panel.K)).hasSize(82_296);
        assertThat(panels.get(Panel.O)).isEmpty();
        for (Panel p : Panel.values()) {
            assertThat(panels.get(p)).as("panel " + p).hasSize(p.byteCount());
        }
    }

    @Test
    void kRibbonGivesOnlyTheKPanel() {
        Map<Panel, byte[]> panels = new PanelSplitter().split(white(), RibbonType.K);

        assertThat(panels).containsOnlyKeys(Panel.K);
        assertThat(panels.get(Panel.K)).hasSize(82_296).containsOnly(0);
    }

    @Test
    void ymckoPacksBlackPixelsMsbFirstAndLeavesThemOutOfColour() {
        Map<Panel, byte[]> panels = new PanelSplitter().split(knownPattern(), RibbonType.YMCKO);

        assertKnownPacking(panels.get(Panel.K));
        // black went to k only: no colour ink anywhere, the rest of the card is white
        assertThat(panels.get(Panel.Y)).containsOnly(0);
        assertThat(panels.get(Panel.M)).containsOnly(0);
        assertThat(panels.get(Panel.C)).containsOnly(0);
    }

    @ParameterizedTest
    @EnumSource(PanelSplitter.Mono.class)
    void kRibbonPacksTheSamePatternInEitherMonoMode(PanelSplitter.Mono mono) {
        PanelSplitter splitter = new PanelSplitter(PanelSplitter.DEFAULT_K_THRESHOLD, mono, 128);

        assertKnownPacking(splitter.split(knownPattern(), RibbonType.K).get(Panel.K));
    }

    @Test
    void colourIsSubtractiveAndDarkGreyIsNotForcedToBlack() {
        BufferedImage img = white();
        img.setRGB(10, 10, new Color(200, 100, 50).getRGB());
        img.setRGB(11, 10, new Color(70, 70, 70).getRGB()); // dark grey, above the K threshold
        img.setRGB(12, 10, new Color(30, 30, 200).getRGB()); // dark blue: colour, not black

        Map<Panel, byte[]> p = new PanelSplitter().split(img, RibbonType.YMCKO);
        int i = 10 * Panel.WIDTH + 10;

        assertThat(p.get(Panel.C)[i] & 0xFF).isEqualTo(55);
        assertThat(p.get(Panel.M)[i] & 0xFF).isEqualTo(155);
        assertThat(p.get(Panel.Y)[i] & 0xFF).isEqualTo(205);
        assertThat(p.get(Panel.C)[i + 1] & 0xFF).isEqualTo(185);
        assertThat(p.get(Panel.Y)[i + 2] & 0xFF).isEqualTo(55);
        assertThat(p.get(Panel.K)).containsOnly(0);
    }

    @Test
    void transparentPixelsAreBlankCard() {
        BufferedImage img = new BufferedImage(Panel.WIDTH, Panel.HEIGHT, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(5, 5, 0xFF000000); // opaque black

        Map<Panel, byte[]> p = new PanelSplitter().split(img, RibbonType.YMCKO);

        assertThat(p.get(Panel.Y)).containsOnly(0);
        byte[] expectedK = new byte[Panel.K.byteCount()];
        expectedK[5 * 127] = 0x04;
        assertThat(p.get(Panel.K)).isEqualTo(expectedK);
    }

    @Test
    void ditheredMidGreyIsAboutHalfBlackWhileThresholdIsAllWhite() {
        BufferedImage img = white();
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(140, 140, 140));
        g.fillRect(0, 0, 400, 400);
        g.dispose();

        byte[] dithered = new PanelSplitter().split(img, RibbonType.K).get(Panel.K);
        byte[] thresholded = new PanelSplitter(64, PanelSplitter.Mono.THRESHOLD, 128).split(img, RibbonType.K)
                .get(Panel.K);

        long black = 0;
        for (byte b : dithered) {
            black += Integer.bitCount(b & 0xFF);
        }
        double share = black / (400.0 * 400.0);
        assertThat(share).isBetween(0.38, 0.52); // 1 - 140/255 = 0.45
        assertThat(thresholded).containsOnly(0);
    }

    @Test
    void refusesAnImageOfAnotherSize() {
        BufferedImage small = new BufferedImage(1000, 648, BufferedImage.TYPE_INT_RGB);

        assertThatThrownBy(() -> new PanelSplitter().split(small, RibbonType.YMCKO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1016 x 648")
                .hasMessageContaining("1000 x 648");
    }
}
