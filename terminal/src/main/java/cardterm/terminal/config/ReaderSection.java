package cardterm.terminal.config;

import cardterm.devices.pcsc.ReaderSelector;
import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.config.TerminalConfig.Readers;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code reader}: the card encoder's and the SAM's PC/SC readers, as {@link ReaderSelector}s. */
final class ReaderSection {
    private ReaderSection() {}

    static Readers map(ConfigReader r, Section s) {
        if (!s.usable) {
            return null;
        }
        ReaderSelector card = selector(r, s, "card");
        ReaderSelector sam = selector(r, s, "sam");
        return card == null || sam == null ? null : new Readers(card, sam);
    }

    private static ReaderSelector selector(ConfigReader r, Section s, String key) {
        String spec = s.required(key);
        if (spec == null) {
            return null;
        }
        String bad = regexProblem(spec);
        if (bad != null) {
            r.problem(s.path(key), "invalid regular expression " + spec + ": " + YamlTree.oneLine(bad));
            return null;
        }
        return ReaderSelector.of(spec);
    }

    /** Null when {@code spec} is a valid selector, else what is wrong with its regex. */
    private static String regexProblem(String spec) {
        if (!(spec.length() >= 2 && spec.startsWith("/") && spec.endsWith("/"))) {
            return null;
        }
        try {
            Pattern.compile(spec.substring(1, spec.length() - 1));
            return null;
        } catch (PatternSyntaxException e) {
            return e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "");
        }
    }
}
