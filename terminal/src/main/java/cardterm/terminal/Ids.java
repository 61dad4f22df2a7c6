package cardterm.terminal;

import java.util.regex.Pattern;

/**
 * The one home of the id pattern the hub contract gives site and terminal ids (its topic segments,
 * {@code cardterm/v1/{site}/{terminal}/...}); the config holds button and post names to it too.
 */
public final class Ids {
    /** {@code [a-z0-9][a-z0-9-]{0,31}}. */
    public static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private Ids() {}

    /** Whether {@code id} is a valid site or terminal id. */
    public static boolean valid(String id) {
        return id != null && SEGMENT.matcher(id).matches();
    }
}
