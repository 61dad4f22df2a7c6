package cardterm.devices.printer.face;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The font card faces are drawn with, shipped in the jar: "Cardterm Face Sans", a subset of Noto Sans
 * CJK SC Regular renamed as the SIL Open Font License asks of a Modified Version (licence:
 * {@value #LICENCE_RESOURCE} beside it; made by {@code devices/src/main/font/make-font.sh}). It has
 * a glyph for every character GBK encodes (the chip's name field) but controls, private use and
 * U+2252, so every terminal prints the same face whatever fonts its machine has.
 *
 * <p>On a machine where fontconfig finds no font at all, Java2D cannot start its font system; the
 * bundled font then also stands in for Java's logical fonts (a font configuration file naming it),
 * and the card face works all the same.
 */
public final class CardFont {
    /** The bundled font's family name. */
    public static final String FAMILY = "Cardterm Face Sans";
    /** The font, a resource beside this class. */
    public static final String RESOURCE = "fonts/CardtermFaceSans-Regular.otf";
    /** Its licence (OFL 1.1 with the copyright notice), a resource beside this class. */
    public static final String LICENCE_RESOURCE = "fonts/OFL.txt";

    private static Font bundled;
    private static Path keepIn;

    private CardFont() {
    }

    /**
     * Where {@link #bundled()} keeps the font's file from one start to the next (made by the first
     * start of a jar, named after the jar's modification time and size), instead of copying 5 MB out
     * of the jar into a temporary file at every start. Call before the font is first used.
     */
    public static synchronized void keepCopyIn(Path dir) {
        keepIn = dir;
    }

    /**
     * The bundled font at 12 pt, loaded once per JVM (copied to a temporary file first: Java2D reads
     * fonts from files).
     *
     * @throws IOException when the jar lacks the font or it cannot be read (a broken build)
     */
    public static synchronized Font bundled() throws IOException {
        if (bundled != null) {
            return bundled;
        }
        Path file = keepIn == null ? null : keptCopy(keepIn);
        if (file == null) {
            file = Files.createTempFile("cardterm-face-", ".otf");
            file.toFile().deleteOnExit();
            copyOut(file);
        }
        Font font;
        try {
            font = create(file);
        } catch (RuntimeException | InternalError e) {
            // Java2D found no font at all ("Fontconfig head is null"): let it use the bundled one as
            // its logical fonts too, then try again (the failed start left no font system behind)
            System.setProperty("sun.awt.fontconfig", fontConfiguration(file).toString());
            font = create(file);
        }
        bundled = font.deriveFont(Font.PLAIN, 12f);
        return bundled;
    }

    private static void copyOut(Path file) throws IOException {
        try (InputStream in = CardFont.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the bundled card font " + RESOURCE + " is missing from the jar");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The font's file kept in {@code dir} for the jar this class comes from, made if need be; null
     * when not run from a jar or the copy cannot be made (then a temporary copy does).
     */
    private static Path keptCopy(Path dir) {
        try {
            java.security.CodeSource source = CardFont.class.getProtectionDomain().getCodeSource();
            Path jar = source == null ? null : Path.of(source.getLocation().toURI());
            if (jar == null || !Files.isRegularFile(jar)) {
                return null;
            }
            String base = RESOURCE.substring(RESOURCE.lastIndexOf('/') + 1).replace(".otf", "");
            Path kept = dir.resolve(base + "-" + Files.getLastModifiedTime(jar).toMillis() / 1000 + "-" + Files.size(jar) + ".otf");
            if (Files.isRegularFile(kept)) {
                return kept;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, base, ".part");
            try {
                copyOut(tmp);
                Files.move(tmp, kept, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            // the copies of earlier jars
            try (java.util.stream.Stream<Path> old = Files.list(dir)) {
                old.filter(p -> p.getFileName().toString().startsWith(base + "-") && !p.equals(kept)).forEach(p -> p.toFile().delete());
            }
            return kept;
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            return null;
        }
    }

    /**
     * Every font in a font file (TrueType, OpenType, a collection), also on a machine whose
     * fontconfig finds no font: Java2D's font system is then started on the bundled font first.
     */
    public static Font[] createFonts(Path file) throws FontFormatException, IOException {
        try {
            return Font.createFonts(file.toFile());
        } catch (RuntimeException | InternalError e) {
            bundled();
            return Font.createFonts(file.toFile());
        }
    }

    private static Font create(Path file) throws IOException {
        try {
            return Font.createFont(Font.TRUETYPE_FONT, file.toFile());
        } catch (FontFormatException e) {
            throw new IOException("the bundled card font cannot be read: " + e.getMessage(), e);
        }
    }

    /** A Java font configuration (fontconfig.properties format) mapping every logical font to {@code file}. */
    private static Path fontConfiguration(Path file) throws IOException {
        Path conf = Files.createTempFile("cardterm-fontconfig-", ".properties");
        conf.toFile().deleteOnExit();
        String name = "Cardterm_Face_Sans_Regular";
        Files.writeString(conf, "version=1\n"
                + "allfonts.default=" + name.replace('_', ' ') + "\n"
                + "sequence.allfonts=default\n"
                + "filename." + name + "=" + file.toAbsolutePath().toString().replace("\\", "\\\\") + "\n");
        return conf;
    }

    /** The bundled font, or an {@link UncheckedIOException} (for tests and tools). */
    public static Font bundledOrThrow() {
        try {
            return bundled();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every distinct code point of {@code text} that {@code font} has no glyph for, in order of first
     * appearance (a physical font's own glyphs: a font made from a file borrows from no other).
     */
    public static List<Integer> undrawable(Font font, String text) {
        Set<Integer> bad = new LinkedHashSet<>();
        text.codePoints().filter(cp -> !font.canDisplay(cp)).forEach(bad::add);
        return new ArrayList<>(bad);
    }
}
