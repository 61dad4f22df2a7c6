package cardterm.devices.printer.face;

import cardterm.devices.printer.Panel;
import cardterm.devices.printer.RibbonType;
import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Splits a card image (1016 x 648) into the ribbon panels that {@code Db} downloads
 * (printer-protocol.md). A pure transform: no I/O, immutable, thread safe.
 *
 * <p>YMCKO: {@code y}, {@code m}, {@code c} are 8 bits a pixel, subtractive ({@code y = 255 - blue},
 * {@code m = 255 - green}, {@code c = 255 - red}); pixels whose red, green and blue are all below
 * {@link #kThreshold()} (black text, dark lines) go to {@code k} and are left out of y/m/c, so black
 * prints as resin black, not as a muddy composite; {@code o} is empty (the printer lays the overlay
 * over the whole card). K ribbon: only {@code k}, from the luminance (threshold or Floyd-Steinberg
 * dither). {@code k} is 1 bit a pixel, rows top to bottom, packed MSB first, 1 = print black.
 * Transparent pixels count as white (blank card).
 */
public final class PanelSplitter {

    /** How a K ribbon turns grey into black and white. */
    public enum Mono {
        /** Black where the luminance is below the threshold: crisp text, flat photos. */
        THRESHOLD,
        /** Floyd-Steinberg error diffusion: photos keep their shades; solid black and white stay solid. */
        DITHER
    }

    /** Default for YMCKO: all of red, green and blue below this go to the K panel. */
    public static final int DEFAULT_K_THRESHOLD = 64;
    /** Default luminance threshold for a K ribbon ({@link Mono#THRESHOLD}). */
    public static final int DEFAULT_MONO_THRESHOLD = 128;

    /** Bytes of one k row: 1016 / 8 = 127. */
    public static final int K_ROW_BYTES = Panel.WIDTH / 8;

    private final int kThreshold;
    private final Mono mono;
    private final int monoThreshold;

    /** Defaults: K threshold 64, K ribbon dithered. */
    public PanelSplitter() {
        this(DEFAULT_K_THRESHOLD, Mono.DITHER, DEFAULT_MONO_THRESHOLD);
    }

    /**
     * @param kThreshold YMCKO: pixels with red, green and blue all below it go to k (0 = none)
     * @param mono how a K ribbon renders grey
     * @param monoThreshold K ribbon, {@link Mono#THRESHOLD}: luminance below it prints black
     */
    public PanelSplitter(int kThreshold, Mono mono, int monoThreshold) {
        if (kThreshold < 0 || kThreshold > 256) {
            throw new IllegalArgumentException("kThreshold must be 0..256, got " + kThreshold);
        }
        if (monoThreshold < 0 || monoThreshold > 256) {
            throw new IllegalArgumentException("monoThreshold must be 0..256, got " + monoThreshold);
        }
        this.kThreshold = kThreshold;
        this.mono = Objects.requireNonNull(mono, "mono");
        this.monoThreshold = monoThreshold;
    }

    public int kThreshold() {
        return kThreshold;
    }

    public Mono mono() {
        return mono;
    }

    /**
     * The panels {@code ribbon} needs for one side, each exactly {@link Panel#byteCount()} bytes.
     *
     * @param image {@link Panel#WIDTH} x {@link Panel#HEIGHT}, any image type
     * @return an unmodifiable map with the keys of {@link RibbonType#panels()}, in download order
     * @throws IllegalArgumentException if the image has another size
     */
    public Map<Panel, byte[]> split(BufferedImage image, RibbonType ribbon) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(ribbon, "ribbon");
        if (image.getWidth() != Panel.WIDTH || image.getHeight() != Panel.HEIGHT) {
            throw new IllegalArgumentException("card image must be " + Panel.WIDTH + " x " + Panel.HEIGHT
                    + " pixels, got " + image.getWidth() + " x " + image.getHeight());
        }
        Map<Panel, byte[]> out = new EnumMap<>(Panel.class);
        switch (ribbon) {
            case YMCKO -> splitColour(image, out);
            case K -> out.put(Panel.K, mono == Mono.DITHER ? dither(image) : threshold(image));
        }
        return Collections.unmodifiableMap(out);
    }

    private void splitColour(BufferedImage image, Map<Panel, byte[]> out) {
        byte[] y = new byte[Panel.Y.byteCount()];
        byte[] m = new byte[Panel.M.byteCount()];
        byte[] c = new byte[Panel.C.byteCount()];
        byte[] k = new byte[Panel.K.byteCount()];
        int[] row = new int[Panel.WIDTH];
        for (int py = 0; py < Panel.HEIGHT; py++) {
            image.getRGB(0, py, Panel.WIDTH, 1, row, 0, Panel.WIDTH);
            int base = py * Panel.WIDTH;
            int kBase = py * K_ROW_BYTES;
            for (int px = 0; px < Panel.WIDTH; px++) {
                int rgb = overWhite(row[px]);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (r < kThreshold && g < kThreshold && b < kThreshold) {
                    k[kBase + (px >> 3)] |= (byte) (0x80 >>> (px & 7));
                } else {
                    y[base + px] = (byte) (255 - b);
                    m[base + px] = (byte) (255 - g);
                    c[base + px] = (byte) (255 - r);
                }
            }
        }
        out.put(Panel.Y, y);
        out.put(Panel.M, m);
        out.put(Panel.C, c);
        out.put(Panel.K, k);
        out.put(Panel.O, new byte[0]);
    }

    private byte[] threshold(BufferedImage image) {
        byte[] k = new byte[Panel.K.byteCount()];
        int[] row = new int[Panel.WIDTH];
        for (int py = 0; py < Panel.HEIGHT; py++) {
            image.getRGB(0, py, Panel.WIDTH, 1, row, 0, Panel.WIDTH);
            int kBase = py * K_ROW_BYTES;
            for (int px = 0; px < Panel.WIDTH; px++) {
                if (luminance(overWhite(row[px])) < monoThreshold) {
                    k[kBase + (px >> 3)] |= (byte) (0x80 >>> (px & 7));
                }
            }
        }
        return k;
    }

    /** Floyd-Steinberg over the luminance, every row left to right, two rows of error. */
    private static byte[] dither(BufferedImage image) {
        byte[] k = new byte[Panel.K.byteCount()];
        int[] row = new int[Panel.WIDTH];
        // error in 1/16 units, with one spare cell each side
        int[] cur = new int[Panel.WIDTH + 2];
        int[] next = new int[Panel.WIDTH + 2];
        for (int py = 0; py < Panel.HEIGHT; py++) {
            image.getRGB(0, py, Panel.WIDTH, 1, row, 0, Panel.WIDTH);
            int kBase = py * K_ROW_BYTES;
            for (int px = 0; px < Panel.WIDTH; px++) {
                int v = luminance(overWhite(row[px])) * 16 + cur[px + 1];
                int out = v < 128 * 16 ? 0 : 255 * 16;
                if (out == 0) {
                    k[kBase + (px >> 3)] |= (byte) (0x80 >>> (px & 7));
                }
                int err = (v - out) / 16;
                cur[px + 2] += err * 7;
                next[px] += err * 3;
                next[px + 1] += err * 5;
                next[px + 2] += err;
            }
            int[] t = cur;
            cur = next;
            next = t;
            java.util.Arrays.fill(next, 0);
        }
        return k;
    }

    /** Rec. 601 luma, 0..255. */
    static int luminance(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return (299 * r + 587 * g + 114 * b + 500) / 1000;
    }

    /** Composites an ARGB pixel over white; opaque pixels are unchanged. */
    static int overWhite(int argb) {
        int a = (argb >>> 24) & 0xFF;
        if (a == 0xFF) {
            return argb & 0xFFFFFF;
        }
        int r = 255 - ((255 - ((argb >> 16) & 0xFF)) * a + 127) / 255;
        int g = 255 - ((255 - ((argb >> 8) & 0xFF)) * a + 127) / 255;
        int b = 255 - ((255 - (argb & 0xFF)) * a + 127) / 255;
        return (r << 16) | (g << 8) | b;
    }
}
