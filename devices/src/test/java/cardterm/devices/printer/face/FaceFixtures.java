package cardterm.devices.printer.face;

import cardterm.devices.citizen.CitizenName;
import cardterm.devices.citizen.ResidentId;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import javax.imageio.ImageIO;

/** Faces, photos and the card font for the card face tests. */
final class FaceFixtures {
    /** Valid GB 11643 (hub-contract.md's example 33030219520101123X fails the check; its right check digit is 1). */
    static final String ID = "330302195201011231";

    private FaceFixtures() {
    }

    /** The card font bundled in the jar. */
    static Font cjkFont() {
        return CardFont.bundledOrThrow();
    }

    static CardFaceRenderer renderer() {
        return new CardFaceRenderer(cjkFont(), CardFaceRenderer.TITLE_SOCIAL_SECURITY);
    }

    static CardFace face(String name, byte[] photo) {
        return new CardFace(CitizenName.of(name), ResidentId.of(ID), "A12345678", LocalDate.of(2026, 11, 26), photo);
    }

    /** A colourful portrait-shaped image: a red-to-blue gradient with a green disc. */
    static BufferedImage photoImage(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(220, 40, 40), 0, h, new Color(40, 60, 220)));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(40, 200, 90));
        g.fillOval(w / 4, h / 5, w / 2, w / 2);
        g.dispose();
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new AssertionError("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Pixels in the rectangle whose red, green and blue are all below {@code max}. */
    static int darkPixels(BufferedImage img, java.awt.Rectangle r, int max) {
        int n = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xFF) < max && ((rgb >> 8) & 0xFF) < max && (rgb & 0xFF) < max) {
                    n++;
                }
            }
        }
        return n;
    }
}
