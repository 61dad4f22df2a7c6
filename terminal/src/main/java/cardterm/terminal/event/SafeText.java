package cardterm.terminal.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Text from outside (a hub command's strings, a console line) made fit for a log line, the
 * console or the audit trail: nothing in it can move a terminal's cursor, ring its bell, end a log
 * line, hide or reorder text, or be lost in encoding, and it is never longer than asked.
 *
 * <ul>
 * <li>control characters (C0, DEL, C1), format characters (zero-width and bidirectional marks,
 * U+FEFF, ...), U+2028/U+2029 and U+FFFE/U+FFFF become Java-style escapes: ESC is <code>&#92;u001b</code>
 * (a backslash stays as it is: text made safe once, within the limit, stays the same when made
 * safe again);</li>
 * <li>a surrogate without its partner becomes its escape (<code>&#92;ud800</code>); a proper pair (a
 * character beyond U+FFFF, e.g. U+20000) stays as it is;</li>
 * <li>text whose safe form is longer than the limit is cut, never inside an escape or a pair,
 * and ends in {@code … (12345 chars)}: the whole text's length; the result stays within the limit,
 * so a receiver's {@code maxLength} holds.</li>
 * </ul>
 *
 * Pure and thread-safe.
 */
public final class SafeText {
    /** The limit of {@link #of(String)}. */
    public static final int DEFAULT_MAX = 200;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {
    }

    /** {@code text} made safe and cut at {@value #DEFAULT_MAX} characters; {@code "null"} for null. */
    public static String of(String text) {
        return of(text, DEFAULT_MAX);
    }

    /**
     * {@code text} made safe, in at most {@code max} characters (at least 1) when it is cut: then
     * its start (never half an escape or half a pair) and {@code … (N chars)}, N being the length
     * of the whole text. (A {@code max} below 24 may be exceeded by that suffix.) {@code "null"}
     * for null.
     */
    public static String of(String text, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        if (text == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 16);
        // where each character (pair, escape) of the output ends, so a cut never splits one
        int[] ends = new int[Math.min(text.length(), max + 1) + 1];
        int units = 0;
        int i = 0;
        while (i < text.length() && b.length() <= max) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                b.append(c).append(text.charAt(i + 1));
                i += 2;
            } else {
                if (unsafe(c)) {
                    escape(b, c);
                } else {
                    b.append(c);
                }
                i++;
            }
            ends[units++] = b.length();
        }
        if (i == text.length() && b.length() <= max) {
            return b.length() == text.length() ? text : b.toString();
        }
        String suffix = "… (" + text.length() + " chars)";
        int keep = Math.max(1, max - suffix.length());
        int cut = 0;
        for (int u = 0; u < units && ends[u] <= keep; u++) {
            cut = ends[u];
        }
        return b.substring(0, cut) + suffix;
    }

    /** Whether {@link #of(String, int)} would give {@code text} back unchanged (for any limit above its length). */
    public static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (unsafe(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A copy of {@code node} whose every string (values and field names, at any depth) is
     * {@link #of(String, int) made safe} and cut at {@code max} characters; numbers, booleans and
     * nulls as they are.
     */
    public static ObjectNode scrub(ObjectNode node, int max) {
        return (ObjectNode) scrubNode(node, max);
    }

    private static JsonNode scrubNode(JsonNode n, int max) {
        if (n.isTextual()) {
            String s = n.textValue();
            String safe = of(s, max);
            return safe.equals(s) ? n : JsonNodeFactory.instance.textNode(safe);
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(of(e.getKey(), max), scrubNode(e.getValue(), max));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(item -> a.add(scrubNode(item, max)));
            return a;
        }
        return n.deepCopy();
    }

    /**
     * The UTF-8 bytes of a JSON text, with every surrogate that has no partner written as a JSON
     * escape (<code>&#92;ud800</code>) instead of the {@code ?} that {@link String#getBytes} would put
     * there: the receiver reads back the very string that was written. (A lone surrogate can only
     * stand inside a JSON string, where the escape means the same character.)
     */
    public static byte[] jsonUtf8(String json) {
        StringBuilder b = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                if (b != null) {
                    b.append(c).append(json.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean lone = Character.isSurrogate(c);
            if (lone && b == null) {
                b = new StringBuilder(json.length() + 16).append(json, 0, i);
            }
            if (b != null) {
                if (lone) {
                    escape(b, c);
                } else {
                    b.append(c);
                }
            }
        }
        return (b == null ? json : b.toString()).getBytes(StandardCharsets.UTF_8);
    }

    /** Characters never shown raw (a surrogate here is one without its partner). */
    private static boolean unsafe(char c) {
        if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static void escape(StringBuilder b, char c) {
        b.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
    }
}
