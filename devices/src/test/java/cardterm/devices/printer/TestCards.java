package cardterm.devices.printer;

import java.util.EnumMap;
import java.util.Map;

/** Panel images for tests: a colour card (y, m, c, k, o) and a mono card (k only). */
final class TestCards {
    private TestCards() {
    }

    static Map<Panel, byte[]> colour() {
        Map<Panel, byte[]> m = new EnumMap<>(Panel.class);
        for (Panel p : RibbonType.YMCKO.panels()) {
            byte[] b = new byte[p.byteCount()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (i * (p.ordinal() + 3));
            }
            m.put(p, b);
        }
        return m;
    }

    static Map<Panel, byte[]> mono() {
        byte[] k = new byte[Panel.K.byteCount()];
        for (int i = 0; i < k.length; i += 2) {
            k[i] = (byte) 0xF0;
        }
        return Map.of(Panel.K, k);
    }
}
