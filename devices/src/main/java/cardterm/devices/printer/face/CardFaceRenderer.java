package cardterm.devices.printer.face;

import cardterm.devices.check.Characters;
import cardterm.devices.check.Problems;
import cardterm.devices.printer.Panel;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Draws the front of a citizen card, 1016 x 648 pixels at 300 dpi (card landscape), with Java2D
 * (headless): a title band, the photo (scaled to fit its frame, or an empty frame), the name in a
 * CJK font, the ID number, the card number and the issue date. Immutable and thread safe.
 *
 * <p>A face whose text the font cannot draw, or whose photo cannot be read, is refused with every
 * problem ({@link #check}, {@link CardFaceException}): never a card with boxes for characters.
 */
public final class CardFaceRenderer {
    /** Title of the national social security card. */
    public static final String TITLE_SOCIAL_SECURITY = "社会保障卡";
    /** Title of the Wenzhou citizen card. */
    public static final String TITLE_WENZHOU = "温州市民卡";

    /** Largest photo accepted, in bytes. */
    public static final int MAX_PHOTO_BYTES = 2 * 1024 * 1024;
    /** Largest photo side accepted, in pixels. */
    public static final int MAX_PHOTO_SIDE = 4096;

    /** Where a face's texts come from in an issuance job, the fields of {@link #check}'s problems. */
    public static final String FIELD_NAME = "citizen.name";
    public static final String FIELD_ID = "citizen.idNumber";
    public static final String FIELD_CARD = "card.cardNumber";
    public static final String FIELD_DATE = "card.issueDate";

    static final String LABEL_NAME = "姓名";
    static final String LABEL_ID = "社会保障号码";
    static final String LABEL_CARD = "卡号";
    static final String LABEL_DATE = "发卡日期";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu年MM月dd日", Locale.ROOT);

    private static final Color BAND = new Color(0x1D, 0x4F, 0x91);
    private static final Color LABEL = new Color(0x60, 0x60, 0x60);
    private static final Color FRAME = new Color(0xA0, 0xA0, 0xA0);
    private static final Color TEXT = Color.BLACK;

    private static final int BAND_HEIGHT = 120;
    private static final int FOOT_TOP = 628;
    private static final Rectangle PHOTO = new Rectangle(56, 160, 264, 336);
    private static final int TEXT_X = 372;
    private static final int TEXT_WIDTH = Panel.WIDTH - TEXT_X - 40;
    private static final Rectangle NAME = new Rectangle(TEXT_X, 200, TEXT_WIDTH, 90);
    private static final Rectangle ID = new Rectangle(TEXT_X, 340, TEXT_WIDTH, 60);
    private static final Rectangle CARD = new Rectangle(TEXT_X, 440, TEXT_WIDTH, 60);
    private static final Rectangle DATE_AREA = new Rectangle(TEXT_X, 540, TEXT_WIDTH, 56);

    private static final float TITLE_SIZE = 64f;
    private static final float LABEL_SIZE = 28f;
    private static final float NAME_SIZE = 72f;
    private static final float NAME_MIN_SIZE = 32f;
    private static final float NUMBER_SIZE = 46f;
    private static final float DATE_SIZE = 40f;

    private final Font font;
    private final String title;

    /**
     * @param font the card font (any size; {@link FontCheck} finds one, by default {@link CardFont#bundled()})
     * @param title the title in the band, e.g. {@link #TITLE_SOCIAL_SECURITY}
     * @throws IllegalArgumentException if the font cannot show the title or the labels
     */
    public CardFaceRenderer(Font font, String title) {
        this.font = Objects.requireNonNull(font, "font");
        this.title = Objects.requireNonNull(title, "title").strip();
        if (this.title.isEmpty()) {
            throw new IllegalArgumentException("title is empty");
        }
        String fixed = this.title + LABEL_NAME + LABEL_ID + LABEL_CARD + LABEL_DATE + "0123456789年月日X";
        int bad = font.canDisplayUpTo(fixed);
        if (bad != -1) {
            throw new IllegalArgumentException("font " + font.getFamily(Locale.ROOT) + " cannot show '"
                    + fixed.charAt(bad) + "' of the card's fixed texts; " + FontCheck.REMEDY);
        }
    }

    /** A renderer with the font a {@link FontCheck} found. */
    public static CardFaceRenderer of(FontCheck.Found found, String title) {
        return new CardFaceRenderer(found.font(), title);
    }

    public Font font() {
        return font;
    }

    public String title() {
        return title;
    }

    /** Where the photo goes (a copy). */
    public static Rectangle photoFrame() {
        return new Rectangle(PHOTO);
    }

    /** Where the name is drawn (a copy). */
    public static Rectangle nameArea() {
        return new Rectangle(NAME);
    }

    /** Where the ID number is drawn (a copy). */
    public static Rectangle idNumberArea() {
        return new Rectangle(ID);
    }

    /** Where the card number is drawn (a copy). */
    public static Rectangle cardNumberArea() {
        return new Rectangle(CARD);
    }

    /** Where the issue date is drawn (a copy). */
    public static Rectangle issueDateArea() {
        return new Rectangle(DATE_AREA);
    }

    /**
     * Every reason {@code face} cannot be rendered (empty when it can): each character the font cannot
     * draw, once, with its code point, under the job's field path ({@code citizen.name}, ...); a photo
     * that is too big or not a readable JPEG/PNG ({@code photo}).
     */
    public Problems check(CardFace face) {
        Problems problems = new Problems();
        prepare(face, problems);
        return problems;
    }

    /**
     * Renders the front of the card.
     *
     * @return a new {@code TYPE_INT_RGB} image of {@link Panel#WIDTH} x {@link Panel#HEIGHT}
     * @throws CardFaceException with every problem {@link #check} finds
     */
    public BufferedImage renderFront(CardFace face) {
        Problems problems = new Problems();
        Optional<BufferedImage> photo = prepare(face, problems);
        if (!problems.isEmpty()) {
            throw new CardFaceException(problems);
        }
        BufferedImage img = new BufferedImage(Panel.WIDTH, Panel.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, Panel.WIDTH, Panel.HEIGHT);

            drawBands(g);
            drawPhoto(g, photo);
            drawField(g, LABEL_NAME, face.name().value(), NAME, NAME_SIZE, true);
            drawField(g, LABEL_ID, face.idNumber().value(), ID, NUMBER_SIZE, false);
            drawField(g, LABEL_CARD, face.cardNumber(), CARD, NUMBER_SIZE, false);
            drawField(g, LABEL_DATE, DATE.format(face.issueDate()), DATE_AREA, DATE_SIZE, false);
        } finally {
            g.dispose();
        }
        return img;
    }

    private Optional<BufferedImage> prepare(CardFace face, Problems problems) {
        problems.addAll(checkText(FIELD_NAME, face.name().value()));
        problems.addAll(checkText(FIELD_ID, face.idNumber().value()));
        problems.addAll(checkText(FIELD_CARD, face.cardNumber()));
        problems.addAll(checkText(FIELD_DATE, DATE.format(face.issueDate())));
        byte[] bytes = face.photo();
        return bytes == null ? Optional.empty() : decodePhoto(bytes, problems);
    }

    /**
     * Each character of {@code text} the card font cannot draw, once, as a problem of {@code field}:
     * {@code '𠀀' (U+20000) cannot be drawn by the card font (Cardterm Face Sans)}.
     */
    public Problems checkText(String field, String text) {
        Problems problems = new Problems();
        for (int cp : CardFont.undrawable(font, text)) {
            problems.add(field, Characters.describe(cp) + " cannot be drawn by the card font ("
                    + font.getFamily(Locale.ROOT) + ")");
        }
        return problems;
    }

    private static Optional<BufferedImage> decodePhoto(byte[] bytes, Problems problems) {
        if (bytes.length > MAX_PHOTO_BYTES) {
            problems.add("photo", "is " + bytes.length + " bytes, at most " + MAX_PHOTO_BYTES + " are accepted");
            return Optional.empty();
        }
        String format = formatOf(bytes);
        if (format == null) {
            problems.add("photo", "is neither JPEG nor PNG");
            return Optional.empty();
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
            if (in == null || !readers.hasNext()) {
                problems.add("photo", "no " + format + " decoder available");
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > MAX_PHOTO_SIDE || h > MAX_PHOTO_SIDE) {
                    problems.add("photo", "is " + w + " x " + h + " pixels, at most " + MAX_PHOTO_SIDE
                            + " a side are accepted");
                    return Optional.empty();
                }
                return Optional.of(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            problems.add("photo", "is not a readable " + format + " image (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
    }

    /** {@code jpeg}, {@code png} or {@code null}, from the magic bytes. */
    static String formatOf(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "jpeg";
        }
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        if (b.length >= png.length) {
            for (int i = 0; i < png.length; i++) {
                if (b[i] != png[i]) {
                    return null;
                }
            }
            return "png";
        }
        return null;
    }

    private void drawBands(Graphics2D g) {
        g.setColor(BAND);
        g.fillRect(0, 0, Panel.WIDTH, BAND_HEIGHT);
        g.fillRect(0, FOOT_TOP, Panel.WIDTH, Panel.HEIGHT - FOOT_TOP);
        Font f = font.deriveFont(Font.BOLD, TITLE_SIZE);
        g.setFont(f);
        g.setColor(Color.WHITE);
        FontMetrics fm = g.getFontMetrics();
        int x = (Panel.WIDTH - fm.stringWidth(title)) / 2;
        int y = (BAND_HEIGHT - fm.getHeight()) / 2 + fm.getAscent();
        g.drawString(title, Math.max(20, x), y);
    }

    private static void drawPhoto(Graphics2D g, Optional<BufferedImage> photo) {
        if (photo.isPresent()) {
            BufferedImage p = photo.get();
            double scale = Math.min((double) PHOTO.width / p.getWidth(), (double) PHOTO.height / p.getHeight());
            int w = Math.max(1, (int) Math.round(p.getWidth() * scale));
            int h = Math.max(1, (int) Math.round(p.getHeight() * scale));
            int x = PHOTO.x + (PHOTO.width - w) / 2;
            int y = PHOTO.y + (PHOTO.height - h) / 2;
            g.drawImage(p, x, y, w, h, null);
            g.setColor(FRAME);
            g.setStroke(new BasicStroke(2f));
            g.drawRect(PHOTO.x - 2, PHOTO.y - 2, PHOTO.width + 3, PHOTO.height + 3);
        } else {
            g.setColor(FRAME);
            g.setStroke(new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {14f, 10f}, 0f));
            g.drawRect(PHOTO.x, PHOTO.y, PHOTO.width - 1, PHOTO.height - 1);
        }
    }

    /** Label above the area, value in it, shrunk to fit the width when {@code shrink}. */
    private void drawField(Graphics2D g, String label, String value, Rectangle area, float size, boolean shrink) {
        g.setColor(LABEL);
        g.setFont(font.deriveFont(Font.PLAIN, LABEL_SIZE));
        g.drawString(label, area.x, area.y - 10);

        Font f = font.deriveFont(shrink ? Font.BOLD : Font.PLAIN, size);
        g.setFont(f);
        FontMetrics fm = g.getFontMetrics();
        while (shrink && fm.stringWidth(value) > area.width && f.getSize2D() > NAME_MIN_SIZE) {
            f = f.deriveFont(f.getSize2D() - 2f);
            g.setFont(f);
            fm = g.getFontMetrics();
        }
        g.setColor(TEXT);
        int baseline = area.y + (area.height + fm.getAscent() - fm.getDescent()) / 2;
        g.drawString(value, area.x, baseline);
    }
}
