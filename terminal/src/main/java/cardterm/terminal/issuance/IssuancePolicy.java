package cardterm.terminal.issuance;

import cardterm.devices.chip.Concession;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The local issuance policy of domain.md, pure: a citizen aged {@code elderlyAge} or more on the
 * issue date is served as elderly (priority); age bands grant a transit concession valid until the
 * card's expiry, switched on by default ("default-on") unless the job opts out. All values come from
 * the constructor, so configuration sets them; {@link #DEFAULT} holds the domain's defaults (55;
 * 60-69 discount, 70+ free; on by default).
 */
public final class IssuancePolicy {
    /** Ages {@code fromAge} to {@code toAge} (inclusive; open-ended when empty) get {@code type}. */
    public record Band(int fromAge, OptionalInt toAge, Concession.Type type) {
        public Band {
            Objects.requireNonNull(toAge, "toAge");
            Objects.requireNonNull(type, "type");
            if (type == Concession.Type.NONE) {
                throw new IllegalArgumentException("a band grants a concession, not NONE");
            }
            if (fromAge < 0 || (toAge.isPresent() && toAge.getAsInt() < fromAge)) {
                throw new IllegalArgumentException("band " + fromAge + "-" + toAge + " is empty");
            }
        }

        public static Band of(int fromAge, int toAge, Concession.Type type) {
            return new Band(fromAge, OptionalInt.of(toAge), type);
        }

        public static Band from(int fromAge, Concession.Type type) {
            return new Band(fromAge, OptionalInt.empty(), type);
        }

        public boolean covers(int age) {
            return age >= fromAge && (toAge.isEmpty() || age <= toAge.getAsInt());
        }
    }

    /** What the policy decided for one job. */
    public record Decision(boolean elderly, int age, Concession concession, Optional<Concession.Type> eligibleFor,
            boolean optedOut) {
        public Decision {
            Objects.requireNonNull(concession, "concession");
            Objects.requireNonNull(eligibleFor, "eligibleFor");
        }
    }

    public static final int DEFAULT_ELDERLY_AGE = 55;
    public static final List<Band> DEFAULT_BANDS = List.of(
            Band.of(60, 69, Concession.Type.DISCOUNT),
            Band.from(70, Concession.Type.FREE));
    public static final IssuancePolicy DEFAULT = new IssuancePolicy(DEFAULT_ELDERLY_AGE, DEFAULT_BANDS, true);

    private final int elderlyAge;
    private final List<Band> bands;
    private final boolean concessionByDefault;

    /**
     * @param elderlyAge age from which a citizen is served as elderly
     * @param bands concession bands; the first that covers an age wins
     * @param concessionByDefault whether eligible citizens get the concession when the job does not say
     */
    public IssuancePolicy(int elderlyAge, List<Band> bands, boolean concessionByDefault) {
        if (elderlyAge < 0) {
            throw new IllegalArgumentException("elderlyAge must not be negative");
        }
        this.elderlyAge = elderlyAge;
        this.bands = List.copyOf(bands);
        this.concessionByDefault = concessionByDefault;
    }

    /** Decides for a job, with the citizen's age on the card's issue date. */
    public Decision decide(IssuanceJob job) {
        int age = job.citizen().ageOn(job.card().issueDate());
        Optional<Concession.Type> eligible = bands.stream().filter(b -> b.covers(age)).map(Band::type).findFirst();
        boolean optedOut = job.optedOutOfConcession();
        boolean wanted = job.transitConcession().orElse(concessionByDefault);
        Concession c = eligible.isPresent() && wanted
                ? new Concession(eligible.get(), job.card().expiryDate())
                : Concession.NONE;
        return new Decision(age >= elderlyAge, age, c, eligible, optedOut);
    }

    public int elderlyAge() {
        return elderlyAge;
    }

    public List<Band> bands() {
        return bands;
    }

    public boolean concessionByDefault() {
        return concessionByDefault;
    }
}
