package cardterm.terminal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.CardFont;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.net.ServerSocket;
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
 * The issue's "done when" on a machine with none of the font packages: {@code cardterm simulate},
 * started in a JVM whose fontconfig sees no font at all (and whose home holds no cache of an earlier
 * fontconfig answer), issues its demo card, and the saved face shows the name, drawn with the
 * bundled font's real glyphs.
 */
class SimulateWithoutFontsTest {

    @Test
    void simulateIssuesItsDemoCardWithTheNameDrawnOnAMachineWithoutFonts(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("empty-fonts.conf"), """
                <?xml version="1.0"?>
                <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
                <fontconfig></fontconfig>
                """);
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = dir.resolve("work");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Duser.home=" + home, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "cardterm.terminal.cli.CardtermMain",
                "simulate", "--broker-port", Integer.toString(port), "--work-dir", work.toString(), "--duration", "12")
                .redirectErrorStream(true);
        pb.environment().put("FONTCONFIG_FILE", conf.toString());
        pb.environment().remove("FONTCONFIG_PATH");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("CARD_FACE_UNAVAILABLE").doesNotContain("Fontconfig");

        List<Path> cards;
        try (var files = Files.list(work.resolve("cards"))) {
            cards = files.filter(f -> f.toString().endsWith(".png")).toList();
        }
        assertThat(cards).as(out).hasSize(1);
        BufferedImage face = ImageIO.read(cards.get(0).toFile());
        java.awt.Rectangle name = CardFaceRenderer.nameArea();
        int ink = 0;
        for (int y = name.y; y < name.y + name.height; y++) {
            for (int x = name.x; x < name.x + name.width; x++) {
                int rgb = face.getRGB(x, y);
                if (((rgb >> 16) & 0xFF) < 64 && ((rgb >> 8) & 0xFF) < 64 && (rgb & 0xFF) < 64) {
                    ink++;
                }
            }
        }
        assertThat(ink).as("dark pixels where the name is").isGreaterThan(1_500);

        // whichever demo name was issued, the bundled font has a real glyph (not .notdef) for each character
        Font font = CardFont.bundledOrThrow();
        FontRenderContext frc = new FontRenderContext(null, true, true);
        List<String> notdef = new ArrayList<>();
        for (String n : List.of("张三", "李四", "王五", "赵六", "陈晓明", "林小红")) {
            n.codePoints().filter(cp -> font.createGlyphVector(frc, Character.toString(cp)).getGlyphCode(0) == 0)
                    .forEach(cp -> notdef.add(Character.toString(cp)));
        }
        assertThat(notdef).isEmpty();
    }
}
