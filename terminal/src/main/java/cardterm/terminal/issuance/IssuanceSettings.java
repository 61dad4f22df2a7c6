package cardterm.terminal.issuance;

import cardterm.devices.chip.Concession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The terminal's local issuance settings: the policy's values (elderly age, concession bands, the
 * concession's default), the time promised to a citizen, and the CJK font of the card face (none:
 * the first one installed). Immutable; {@link #policy()} is what the issuance service decides by.
 */
public record IssuanceSettings(
        int elderlyAge,
        List<IssuancePolicy.Band> concessions,
        boolean concessionByDefault,
        Duration promisedDuration,
        Optional<Path> cardFont) {
    public static final Duration DEFAULT_PROMISED_DURATION = Duration.ofMinutes(10);
    public static final IssuanceSettings DEFAULT = new IssuanceSettings(IssuancePolicy.DEFAULT_ELDERLY_AGE,
            IssuancePolicy.DEFAULT_BANDS, true, DEFAULT_PROMISED_DURATION, Optional.empty());

    public IssuanceSettings {
        if (elderlyAge < 0) {
            throw new IllegalArgumentException("elderlyAge must not be negative");
        }
        concessions = List.copyOf(concessions);
        Objects.requireNonNull(promisedDuration, "promisedDuration");
        Objects.requireNonNull(cardFont, "cardFont");
        if (!promisedDuration.isPositive()) {
            throw new IllegalArgumentException("promisedDuration must be positive");
        }
    }

    /** The policy these settings make. */
    public IssuancePolicy policy() {
        return new IssuancePolicy(elderlyAge, concessions, concessionByDefault);
    }

    /** Whether a citizen of this age (on the issue date) is served as elderly. */
    public boolean isElderly(int age) {
        return age >= elderlyAge;
    }

    /** The concession a citizen of this age is eligible for, if any. */
    public Optional<Concession.Type> concessionFor(int age) {
        return concessions.stream().filter(b -> b.covers(age)).map(IssuancePolicy.Band::type).findFirst();
    }
}
