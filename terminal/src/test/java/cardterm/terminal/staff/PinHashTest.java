package cardterm.terminal.staff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PinHashTest {
    @Test
    void aHashMatchesItsPinOnlyAndCarriesSaltAndIterations() {
        String h = PinHash.hash("1234".toCharArray());
        assertThat(h).matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}");
        assertThat(PinHash.problem(h)).isEmpty();
        assertThat(PinHash.matches("1234".toCharArray(), h)).isTrue();
        assertThat(PinHash.matches("1235".toCharArray(), h)).isFalse();
        assertThat(PinHash.hash("1234".toCharArray())).as("a fresh salt each time").isNotEqualTo(h);
    }

    @Test
    void malformedOrWeakHashesAreProblemsAndMatchNothing() {
        assertThat(PinHash.problem("1234")).isPresent();
        String weak = "pbkdf2-sha256$1000$" + "A".repeat(22) + "$" + "A".repeat(43);
        assertThat(PinHash.problem(weak)).hasValueSatisfying(p -> assertThat(p).contains("100000"));
        assertThat(PinHash.matches("1234".toCharArray(), weak)).isFalse();
        assertThat(PinHash.matches("1234".toCharArray(), null)).isFalse();
    }
}
