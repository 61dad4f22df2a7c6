package cardterm.terminal.command;

import cardterm.devices.check.Problems;
import com.fasterxml.jackson.databind.JsonNode;

/** Reading a command's args, every problem into one {@link Problems}. */
final class Args {
    private Args() {
    }

    /** A required, non-blank text field; {@code null} (and a problem) when missing. */
    static String text(JsonNode args, String field, Problems p) {
        JsonNode v = args == null ? null : args.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            p.add(field, "missing");
            return null;
        }
        return v.asText();
    }
}
