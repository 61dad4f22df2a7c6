package cardterm.devices.printer.face;

import cardterm.devices.check.Problems;
import java.util.List;

/**
 * A card face that cannot be rendered as asked: a name the card font cannot show, a photo that is
 * not a readable JPEG or PNG. Carries every problem found; the messages hold no personal data.
 */
public final class CardFaceException extends RuntimeException {
    private final transient List<Problems.Problem> problems;

    public CardFaceException(Problems problems) {
        super("card face cannot be rendered: " + problems);
        this.problems = problems.list();
    }

    /** Every problem found, by field ({@code name}, {@code photo}, ...). */
    public List<Problems.Problem> problems() {
        return problems;
    }
}
