package cardterm.devices.printer;

/**
 * One ribbon panel of a card side, as the {@code Db} command names it (printer-protocol.md):
 * {@code y}, {@code m}, {@code c} at 8 bits a pixel, {@code k} at 1 bit a pixel (rows packed MSB
 * first), {@code o} (overlay) with no data.
 */
public enum Panel {
    Y("y", 8),
    M("m", 8),
    C("c", 8),
    K("k", 1),
    O("o", 0);

    /** Card image in pixels: 1016 x 648 at 300 dpi, card landscape. */
    public static final int WIDTH = 1016;
    public static final int HEIGHT = 648;

    private final String code;
    private final int bitsPerPixel;

    Panel(String code, int bitsPerPixel) {
        this.code = code;
        this.bitsPerPixel = bitsPerPixel;
    }

    /** The wire name in {@code Db;<panel>;...}. */
    public String code() {
        return code;
    }

    public int bitsPerPixel() {
        return bitsPerPixel;
    }

    /** Bytes of one panel image: 658,368 for y/m/c, 82,296 for k, 0 for o. */
    public int byteCount() {
        return WIDTH * HEIGHT * bitsPerPixel / 8;
    }

    public static Panel ofCode(String code) {
        for (Panel p : values()) {
            if (p.code.equals(code)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown panel " + code);
    }
}
