package cardterm.devices.printer.face;

import cardterm.devices.printer.Panel;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.Objects;

/**
 * The inverse of {@link PanelSplitter}: what a card printed from these panels looks like. The
 * printer simulator uses it to save a picture of each printed card. A pure transform.
 *
 * <p>Starts from a white card, lays y/m/c (if present) subtractively ({@code red = 255 - c},
 * {@code green = 255 - m}, {@code blue = 255 - y}), then k (if present) as solid black. {@code o}
 * (overlay) is clear and changes nothing. The panels present must be y, m, c together or none of
 * them, each of exactly {@link Panel#byteCount()} bytes.
 */
public final class PanelComposer {

    private PanelComposer() {
    }

    /**
     * @param panels downloaded panels of one side (at least one of y/m/c or k)
     * @return a new {@code TYPE_INT_RGB} image of {@link Panel#WIDTH} x {@link Panel#HEIGHT}
     * @throws IllegalArgumentException on a wrong panel size, y/m/c not all present, or no panel
     *     that prints anything
     */
    public static BufferedImage compose(Map<Panel, byte[]> panels) {
        Objects.requireNonNull(panels, "panels");
        for (Map.Entry<Panel, byte[]> e : panels.entrySet()) {
            int want = e.getKey().byteCount();
            if (e.getValue() == null || e.getValue().length != want) {
                throw new IllegalArgumentException("panel " + e.getKey().code() + " must be " + want + " bytes, got "
                        + (e.getValue() == null ? "none" : e.getValue().length));
            }
        }
        byte[] y = panels.get(Panel.Y);
        byte[] m = panels.get(Panel.M);
        byte[] c = panels.get(Panel.C);
        byte[] k = panels.get(Panel.K);
        int colour = (y != null ? 1 : 0) + (m != null ? 1 : 0) + (c != null ? 1 : 0);
        if (colour != 0 && colour != 3) {
            throw new IllegalArgumentException("panels y, m and c go together; got " + panels.keySet());
        }
        if (colour == 0 && k == null) {
            throw new IllegalArgumentException("no panel that prints: got " + panels.keySet());
        }
        BufferedImage img = new BufferedImage(Panel.WIDTH, Panel.HEIGHT, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[Panel.WIDTH];
        for (int py = 0; py < Panel.HEIGHT; py++) {
            int base = py * Panel.WIDTH;
            int kBase = py * PanelSplitter.K_ROW_BYTES;
            for (int px = 0; px < Panel.WIDTH; px++) {
                int rgb = 0xFFFFFF;
                if (colour == 3) {
                    int r = 255 - (c[base + px] & 0xFF);
                    int g = 255 - (m[base + px] & 0xFF);
                    int b = 255 - (y[base + px] & 0xFF);
                    rgb = (r << 16) | (g << 8) | b;
                }
                if (k != null && (k[kBase + (px >> 3)] & (0x80 >>> (px & 7))) != 0) {
                    rgb = 0;
                }
                row[px] = rgb;
            }
            img.setRGB(0, py, Panel.WIDTH, 1, row, 0, Panel.WIDTH);
        }
        return img;
    }
}
