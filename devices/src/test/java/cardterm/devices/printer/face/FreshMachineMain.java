package cardterm.devices.printer.face;

import cardterm.devices.check.Problems;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Run by {@link FreshMachineTest} in a JVM whose fontconfig sees no font: finds the card font (the
 * bundled one, or the configured file {@code args[1]}), renders a face to {@code args[0]} and prints
 * what the parent checks: {@code font=}, {@code notdef=} (characters on the face drawn with no real
 * glyph), {@code problems=} and {@code families=} (what Java2D saw of the machine).
 */
final class FreshMachineMain {
    static final String NAME = "买买提·艾力";

    private FreshMachineMain() {
    }

    public static void main(String[] args) throws Exception {
        FontCheck check = FontCheck.find(args.length > 1 ? Optional.of(Path.of(args[1])) : Optional.empty());
        if (!(check instanceof FontCheck.Found found)) {
            System.out.println("missing=" + ((FontCheck.Missing) check).message());
            System.exit(3);
            return;
        }
        CardFaceRenderer renderer = CardFaceRenderer.of(found, CardFaceRenderer.TITLE_WENZHOU);
        CardFace face = FaceFixtures.face(NAME, null);
        Problems problems = renderer.check(face);
        BufferedImage img = renderer.renderFront(face);
        CardFacePng.write(img, Path.of(args[0]));
        String onTheFace = renderer.title() + CardFaceRenderer.LABEL_NAME + CardFaceRenderer.LABEL_ID
                + CardFaceRenderer.LABEL_CARD + CardFaceRenderer.LABEL_DATE + face.name().value()
                + face.idNumber().value() + face.cardNumber()
                + DateTimeFormatter.ofPattern("uuuu年MM月dd日", Locale.ROOT).format(face.issueDate());
        System.out.println("font=" + renderer.font().getFontName(Locale.ROOT));
        System.out.println("characters=" + onTheFace.codePointCount(0, onTheFace.length()));
        System.out.println("notdef=" + BundledCardFontTest.notdef(renderer.font(), onTheFace));
        System.out.println("problems=" + problems.lines());
        System.out.println("families=" + List.of(
                GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT)));
    }
}
