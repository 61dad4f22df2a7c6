package cardterm.terminal.monitor;

import cardterm.devices.health.HealthReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * {@code monitor --problem ...}: which terminals to show by what is wrong with them. One word:
 * {@code any} (every terminal with a problem), {@code offline}, {@code supply} (a supply low or
 * empty, or a device short of one), {@code backlog} (events waiting too long), {@code conflict} (an id
 * claimed twice), or a health reason such as {@code SUPPLY_EMPTY} or {@code LINK_DOWN} (a device
 * not ONLINE for that reason). Several words: a terminal matching any of them.
 */
public final class ProblemFilter {
    /** The words besides the health reasons. */
    public static final List<String> WORDS = List.of("any", "offline", "supply", "backlog", "conflict");

    private ProblemFilter() {}

    /**
     * The filter for {@code words}; every word that is not one (all at once) in {@code problems}.
     */
    public static Predicate<TerminalView> parse(List<String> words, List<String> problems) {
        List<Predicate<TerminalView>> each = new ArrayList<>();
        for (String w : words) {
            Predicate<TerminalView> p = one(w);
            if (p == null) {
                problems.add("--problem " + w + ": not one of " + WORDS + " nor a health reason ("
                        + String.join(", ", Arrays.stream(HealthReason.values()).map(Enum::name).toList()) + ")");
            } else {
                each.add(p);
            }
        }
        return v -> each.isEmpty() || each.stream().anyMatch(p -> p.test(v));
    }

    private static Predicate<TerminalView> one(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "any":
                return TerminalView::hasProblems;
            case "offline":
                return v -> v.online().isPresent() && !v.online().get();
            case "supply":
                return v -> v.online().orElse(false) && (v.supplies().stream()
                        .anyMatch(s -> s.level().equals("low") || s.level().equals("empty"))
                        || v.devices().values().stream().anyMatch(d -> !d.state().equals("ONLINE")
                                && d.reason().startsWith("SUPPLY_")));
            case "backlog":
                return v -> v.problems().stream().anyMatch(p -> p.startsWith("backlog "));
            case "conflict":
                return v -> v.problems().stream().anyMatch(p -> p.startsWith("ID CLAIMED TWICE"));
            default:
                break;
        }
        String reason = word.toUpperCase(Locale.ROOT);
        if (Arrays.stream(HealthReason.values()).noneMatch(r -> r.name().equals(reason))) {
            return null;
        }
        return v -> v.online().orElse(false) && v.devices().values().stream()
                .anyMatch(d -> !d.state().equals("ONLINE") && d.reason().equals(reason));
    }
}
