package cardterm.devices.printer;

import java.util.EnumMap;
import java.util.Map;

/**
 * A generated test card for checking a printer (CLI {@code printer test}, hub {@code printer-test}):
 * colour ramps on y, m and c in three bands, and on k a border, a checkerboard block and a
 * diagonal, so banding, registration and missing dots show. No personal data.
 */
public final class PrinterTestCard {
    private static final int W = Panel.WIDTH;
    private static final int H = Panel.HEIGHT;

    private PrinterTestCard() {
    }

    /** The panels a side needs on {@code ribbon}: y, m, c, k, o (empty) for YMCKO; k for K. */
    public static Map<Panel, byte[]> panels(RibbonType ribbon) {
        Map<Panel, byte[]> m = new EnumMap<>(Panel.class);
        if (ribbon == RibbonType.YMCKO) {
            m.put(Panel.Y, band(0));
            m.put(Panel.M, band(1));
            m.put(Panel.C, band(2));
            m.put(Panel.O, new byte[0]);
        }
        m.put(Panel.K, black());
        return m;
    }

    /** A left-to-right ramp in the third {@code index} of the card's height. */
    private static byte[] band(int index) {
        byte[] b = new byte[W * H];
        int top = index * H / 3;
        int bottom = (index + 1) * H / 3;
        for (int y = top; y < bottom; y++) {
            for (int x = 0; x < W; x++) {
                b[y * W + x] = (byte) (x * 255 / (W - 1));
            }
        }
        return b;
    }

    private static byte[] black() {
        int rowBytes = W / 8;
        byte[] k = new byte[rowBytes * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean border = x < 8 || y < 8 || x >= W - 8 || y >= H - 8;
                boolean checker = x >= W - 216 && x < W - 24 && y >= 24 && y < 216 && ((x / 24 + y / 24) % 2 == 0);
                boolean diagonal = Math.abs(x * H - y * W) < 2 * W;
                if (border || checker || diagonal) {
                    k[y * rowBytes + x / 8] |= (byte) (0x80 >>> (x % 8));
                }
            }
        }
        return k;
    }
}
