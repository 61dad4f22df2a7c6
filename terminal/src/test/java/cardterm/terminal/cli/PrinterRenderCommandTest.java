package cardterm.terminal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.printer.Panel;
import cardterm.terminal.sim.DemoJobs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cardterm printer render --job FILE --out card.png}: a job's card face, no printer needed. */
class PrinterRenderCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        CommandLine cl = CardtermMain.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path jobFile(ObjectNode job) throws Exception {
        Path f = dir.resolve("job.json");
        Files.writeString(f, job.toString(), StandardCharsets.UTF_8);
        return f;
    }

    private static ObjectNode demoJob() {
        return DemoJobs.job("J-20261126-0001", "S1024", 65, false, LocalDate.of(2026, 11, 26), 0);
    }

    @Test
    void rendersTheFrontOfAJobAsAPngWithoutPersonalDataOnTheConsole() throws Exception {
        ObjectNode job = demoJob();
        Path png = dir.resolve("out/card.png");
        assertThat(run("printer", "render", "--job", jobFile(job).toString(), "--out", png.toString())).isZero();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(Panel.WIDTH);
        assertThat(img.getHeight()).isEqualTo(Panel.HEIGHT);
        assertThat(out.toString()).contains("card face of job J-20261126-0001 (1016 x 648", "written to " + png)
                .doesNotContain(job.at("/citizen/idNumber").asText()).doesNotContain(job.at("/citizen/name").asText());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void onAMonoRibbonThePreviewIsBlackAndWhiteOnly() throws Exception {
        Path png = dir.resolve("k.png");
        assertThat(run("printer", "render", "--job", jobFile(demoJob()).toString(), "--out", png.toString(),
                "--ribbon", "K")).isZero();
        BufferedImage img = ImageIO.read(png.toFile());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        assertThat(colours).containsExactlyInAnyOrder(0x000000, 0xFFFFFF);
        assertThat(out.toString()).contains("as printed on a K ribbon");
    }

    @Test
    void everyProblemOfABadJobFileIsListedAndExitIsTwo() throws Exception {
        ObjectNode job = demoJob();
        ((ObjectNode) job.get("citizen")).put("idNumber", "330302195201011230"); // wrong check character
        ((ObjectNode) job.get("card")).put("cardNumber", "a1");
        ((ObjectNode) job.get("card")).put("expiryDate", "2026-02-30");
        job.put("transitConcesion", true); // misspelt
        Path png = dir.resolve("bad.png");
        assertThat(run("printer", "render", "--job", jobFile(job).toString(), "--out", png.toString())).isEqualTo(2);
        assertThat(err.toString().lines().filter(l -> l.startsWith(dir.resolve("job.json").toString())))
                .hasSize(4)
                .anyMatch(l -> l.contains("citizen.idNumber"))
                .anyMatch(l -> l.contains("cardNumber"))
                .anyMatch(l -> l.contains("expiryDate"))
                .anyMatch(l -> l.contains("transitConcesion: unknown field"));
        assertThat(err.toString()).contains("4 problem(s) in the job file; nothing rendered")
                .doesNotContain("330302195201011230");
        assertThat(png).doesNotExist();
    }

    @Test
    void notJsonAMissingFileAnUnreadablePhotoAndABadRibbonAreBadInput() throws Exception {
        Path png = dir.resolve("x.png");
        Path notJson = dir.resolve("not.json");
        Files.writeString(notJson, "{\"jobId\": ");
        assertThat(run("printer", "render", "--job", notJson.toString(), "--out", png.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not valid JSON");
        assertThat(run("printer", "render", "--job", dir.resolve("none.json").toString(), "--out", png.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("cannot read the job file");
        ObjectNode job = demoJob();
        job.put("photo", java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2}));
        assertThat(run("printer", "render", "--job", jobFile(job).toString(), "--out", png.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("photo: is not a readable jpeg image");
        assertThat(run("printer", "render", "--job", jobFile(demoJob()).toString(), "--out", png.toString(),
                "--ribbon", "CMY")).isEqualTo(2);
        assertThat(err.toString()).contains("--ribbon must be YMCKO or K");
        assertThat(run("printer", "render", "--out", png.toString())).isEqualTo(2);
        assertThat(png).doesNotExist();
    }

    @Test
    void aFontFileThatIsMissingIsAClearFailureSayingWhatToDo() throws Exception {
        Path png = dir.resolve("y.png");
        assertThat(run("printer", "render", "--job", jobFile(demoJob()).toString(), "--out", png.toString(),
                "--font", dir.resolve("no-such-font.ttf").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("does not exist", "remove issuance.cardFont to use the bundled card font");
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(png).doesNotExist();
    }
}
