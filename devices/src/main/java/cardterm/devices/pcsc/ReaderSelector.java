package cardterm.devices.pcsc;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which PC/SC reader a role uses, as configured: an exact reader name
 * ({@code Virtual PCD 00 00}) or a regular expression between slashes ({@code /OMNIKEY.*00 00/},
 * matched anywhere in the name). The first listed reader that matches wins.
 */
public final class ReaderSelector {
    private final String spec;
    private final Pattern pattern;

    private ReaderSelector(String spec, Pattern pattern) {
        this.spec = spec;
        this.pattern = pattern;
    }

    /** Parses a configured value; throws {@link IllegalArgumentException} for an empty one or a bad pattern. */
    public static ReaderSelector of(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.isBlank()) {
            throw new IllegalArgumentException("reader name is empty");
        }
        if (spec.length() >= 2 && spec.startsWith("/") && spec.endsWith("/")) {
            try {
                return new ReaderSelector(spec, Pattern.compile(spec.substring(1, spec.length() - 1)));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("reader pattern " + spec + " is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        return new ReaderSelector(spec, null);
    }

    public boolean matches(String readerName) {
        return pattern == null ? spec.equals(readerName) : pattern.matcher(readerName).find();
    }

    public Optional<String> pick(Collection<String> readerNames) {
        return readerNames.stream().filter(this::matches).findFirst();
    }

    /** The configured text. */
    public String spec() {
        return spec;
    }

    /** Whether {@code spec} is a {@code /regex/} rather than an exact name. */
    public boolean isRegex() {
        return pattern != null;
    }

    /** Selectors are equal when their configured text is. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ReaderSelector r && r.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    @Override
    public String toString() {
        return pattern == null ? "\"" + spec + "\"" : spec;
    }
}
