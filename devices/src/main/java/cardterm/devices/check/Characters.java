package cardterm.devices.check;

/** Names a character in a problem message, so a person can find it in what they sent. */
public final class Characters {
    private Characters() {
    }

    /**
     * {@code '张' (U+5F20)}; just {@code U+0009} for a character that does not show by itself
     * (controls, spaces, format characters, private use, unassigned code points, lone surrogates).
     */
    public static String describe(int codePoint) {
        String code = String.format("U+%04X", codePoint);
        return shows(codePoint) ? "'" + Character.toString(codePoint) + "' (" + code + ")" : code;
    }

    private static boolean shows(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
