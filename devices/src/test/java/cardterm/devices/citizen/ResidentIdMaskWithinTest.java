package cardterm.devices.citizen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link ResidentId#maskWithin}: whatever free text leaves the terminal holds nothing the hub
 * contract's personal-data test (docs/schemas/common.json, noPersonalData) would flag.
 */
class ResidentIdMaskWithinTest {
    /** The contract's pattern, as docs/schemas/common.json writes it. */
    private static final Pattern CONTRACT = Pattern.compile("(^|[^0-9])[0-9]{17}[0-9Xx]($|[^0-9A-Za-z])");

    @Test
    void idShapedRunsAreMaskedAsTheIdTypeMasksThem() {
        assertThat(ResidentId.maskWithin("330302195201011231")).isEqualTo("330302********1231");
        assertThat(ResidentId.maskWithin("id 33030219520101123X, again 33030219520101123x."))
                .isEqualTo("id 330302********123X, again 330302********123x.");
        assertThat(ResidentId.maskWithin("font /tmp/junit123456789012345678/no-such-font.ttc not found"))
                .isEqualTo("font /tmp/junit123456********5678/no-such-font.ttc not found");
        assertThat(ResidentId.maskWithin("330302195201011231张三")).isEqualTo("330302********1231张三");
    }

    @Test
    void textWithNothingIdShapedIsReturnedAsItIs() {
        for (String s : new String[] {"", "card 330302001", "3303021952010112311 (19 digits)",
            "12345678901234567Xa", "33030219520101123Y", "330302195201011231a", "330302********1231"}) {
            assertThat(ResidentId.maskWithin(s)).as(s).isSameAs(s);
        }
    }

    @Test
    void afterMaskingTheContractsPatternNeverMatchesAndTextWithoutMatchesIsUnchanged() {
        Random random = new Random(20261201);
        String alphabet = "0123456789012345678901234567890123456789Xx a/-.张";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(60);
            for (int k = 0; k < len; k++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = b.toString();
            String masked = ResidentId.maskWithin(text);
            assertThat(CONTRACT.matcher(masked).find()).as(text + " -> " + masked).isFalse();
            assertThat(masked).hasSameSizeAs(text);
            if (!CONTRACT.matcher(text).find()) {
                assertThat(masked).as(text).isSameAs(text);
            }
        }
    }
}
