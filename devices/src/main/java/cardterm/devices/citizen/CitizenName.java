package cardterm.devices.citizen;

import cardterm.devices.check.Characters;
import cardterm.devices.check.Problems;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A citizen's name: personal data. {@link #toString()} masks it; only {@link #value()} and
 * {@link #gbk()} give it, for the chip and the card face.
 */
public final class CitizenName {
    public static final Charset GBK = Charset.forName("GBK");
    /** EF06 record 2 holds 30 bytes. */
    public static final int MAX_GBK_BYTES = 30;

    private final String value;
    private final byte[] gbk;

    private CitizenName(String value, byte[] gbk) {
        this.value = value;
        this.gbk = gbk;
    }

    public static Optional<CitizenName> parse(String text, String field, Problems problems) {
        if (text == null || text.isBlank()) {
            problems.add(field, "missing");
            return Optional.empty();
        }
        String s = text.strip();
        CharsetEncoder enc = GBK.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] bytes;
        try {
            ByteBuffer bb = enc.encode(CharBuffer.wrap(s));
            bytes = Arrays.copyOf(bb.array(), bb.limit());
        } catch (CharacterCodingException e) {
            Set<Integer> bad = notGbk(s);
            for (int cp : bad) {
                problems.add(field, Characters.describe(cp) + " cannot be encoded in GBK, as the chip's name field holds it");
            }
            if (bad.isEmpty()) {
                problems.add(field, "cannot be encoded in GBK, as the chip's name field holds it");
            }
            return Optional.empty();
        }
        if (bytes.length > MAX_GBK_BYTES) {
            problems.add(field, "is " + bytes.length + " GBK bytes, at most " + MAX_GBK_BYTES + " fit on the chip");
            return Optional.empty();
        }
        for (byte b : bytes) {
            if (b == 0) {
                problems.add(field, "contains a NUL character");
                return Optional.empty();
            }
        }
        return Optional.of(new CitizenName(s, bytes));
    }

    /** Every distinct code point of {@code s} that GBK cannot encode, in order of first appearance. */
    static Set<Integer> notGbk(String s) {
        CharsetEncoder enc = GBK.newEncoder();
        Set<Integer> bad = new LinkedHashSet<>();
        s.codePoints().filter(cp -> !enc.canEncode(Character.toString(cp))).forEach(bad::add);
        return bad;
    }

    public static CitizenName of(String text) {
        Problems p = new Problems();
        return parse(text, "name", p).orElseThrow(() -> new IllegalArgumentException(p.toString()));
    }

    /** Decodes EF06 record 2 (GBK, right-padded with 0x00). */
    public static CitizenName fromChip(byte[] padded) {
        int n = padded.length;
        while (n > 0 && padded[n - 1] == 0) {
            n--;
        }
        return of(new String(padded, 0, n, GBK));
    }

    public String value() {
        return value;
    }

    /** The GBK bytes, not padded. */
    public byte[] gbk() {
        return gbk.clone();
    }

    /** The 30-byte chip form: GBK, right-padded with 0x00. */
    public byte[] chipRecord() {
        return Arrays.copyOf(gbk, MAX_GBK_BYTES);
    }

    /** First character, the rest as {@code *}. */
    public String masked() {
        int first = value.offsetByCodePoints(0, 1);
        return value.substring(0, first) + "*".repeat(Math.max(1, value.codePointCount(first, value.length())));
    }

    @Override
    public String toString() {
        return masked();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CitizenName c && c.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }
}
