package cardterm.devices.printer.face;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card face on a machine with no font at all: a JVM started with a fontconfig configuration
 * that names no font (and a home without Java's cache of an earlier fontconfig answer) still draws
 * every character of the face with a real glyph, from the bundled font or a configured font file.
 */
class FreshMachineTest {

    /** A fontconfig configuration that sees no fonts; environment for a JVM started with it. */
    static ProcessBuilder withoutFonts(Path dir, List<String> command) throws Exception {
        Path conf = Files.writeString(dir.resolve("empty-fonts.conf"), """
                <?xml version="1.0"?>
                <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
                <fontconfig></fontconfig>
                """);
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FONTCONFIG_FILE", conf.toString());
        pb.environment().remove("FONTCONFIG_PATH");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        return pb;
    }

    private static List<String> run(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Duser.home=" + dir.resolve("home"),
                "-cp", System.getProperty("java.class.path"), FreshMachineMain.class.getName()));
        command.addAll(List.of(args));
        Process p = withoutFonts(dir, command).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + "= in " + lines)).substring(key.length() + 1);
    }

    private static void assertDrawnWithRealGlyphs(List<String> out, Path png) throws Exception {
        // fontconfig saw nothing: Java2D knows the card font and its own logical names only
        assertThat(value(out, "families")).isEqualTo("[Cardterm Face Sans, Dialog, DialogInput, Monospaced, SansSerif, Serif]");
        assertThat(Integer.parseInt(value(out, "characters"))).isGreaterThan(40);
        assertThat(value(out, "notdef")).isEqualTo("[]");
        assertThat(value(out, "problems")).isEqualTo("[]");
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(FaceFixtures.darkPixels(img, CardFaceRenderer.nameArea(), 64)).isGreaterThan(2_000);
    }

    @Test
    void theBundledFontDrawsEveryCharacterOfTheFace(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("front.png");
        List<String> out = run(dir, png.toString());

        assertThat(value(out, "font")).isEqualTo("Cardterm Face Sans Regular");
        assertDrawnWithRealGlyphs(out, png);
    }

    @Test
    void aConfiguredFontFileWorksToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("OtherCjk.otf");
        try (InputStream in = CardFont.class.getResourceAsStream(CardFont.RESOURCE)) {
            Files.copy(in, file);
        }
        Path png = dir.resolve("front.png");
        List<String> out = run(dir, png.toString(), file.toString());

        assertDrawnWithRealGlyphs(out, png);
    }
}
