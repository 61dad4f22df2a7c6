import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;

/**
 * Prints, one a line as {@code U+XXXX}, every code point Java's GBK encoder takes - what the chip's
 * name field (EF06 record 2, chip-profile.md) can hold - but control characters and private-use
 * code points (GBK's user-defined areas: no font can know what a site put there). Run by
 * make-font.sh with the JDK the product runs on ({@code java GbkCodePoints.java}), so the font
 * covers exactly what {@code CitizenName} accepts.
 */
public class GbkCodePoints {
    public static void main(String[] args) {
        CharsetEncoder gbk = Charset.forName("GBK").newEncoder();
        StringBuilder out = new StringBuilder();
        for (int cp = 0; cp <= 0xFFFF; cp++) {
            char c = (char) cp;
            if (Character.isSurrogate(c) || Character.isISOControl(cp)
                    || Character.getType(cp) == Character.PRIVATE_USE) {
                continue;
            }
            if (gbk.canEncode(c)) {
                out.append(String.format("U+%04X%n", cp));
            }
        }
        System.out.print(out);
    }
}
