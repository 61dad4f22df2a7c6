package cardterm.devices.printer.face;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The card face as a monitored part: ONLINE with a renderer, or OFFLINE saying what to install. */
class CardFaceDeviceTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T02:00:00Z"), ZoneOffset.UTC);

    @Test
    void withTheBundledFontItIsOnlineWithARenderer() {
        CardFaceDevice d = CardFaceDevice.check(Optional.empty(), CardFaceRenderer.TITLE_WENZHOU, clock);
        assertThat(d.deviceId()).isEqualTo("cardface");
        assertThat(d.health().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(d.renderer()).isPresent();
        assertThat(d.problem()).isEmpty();
        assertThat(d.renderer().orElseThrow().font().getFamily(java.util.Locale.ROOT)).isEqualTo(CardFont.FAMILY);
    }

    @Test
    void aMissingFontFileIsOfflineConfigurationErrorSayingWhatToDo() {
        CardFaceDevice d = CardFaceDevice.check(Optional.of(Path.of("/nonexistent/font.ttc")),
                CardFaceRenderer.TITLE_WENZHOU, clock);
        assertThat(d.health().state()).isEqualTo(DeviceState.OFFLINE);
        assertThat(d.health().reason()).isEqualTo(HealthReason.CONFIGURATION_ERROR);
        assertThat(d.health().message()).contains("does not exist", "remove issuance.cardFont to use the bundled card font");
        assertThat(d.renderer()).isEmpty();
        assertThat(d.problem()).contains(d.health().message());
    }

    @Test
    void aFontWithoutChineseGlyphsNeverRendersACard() {
        CardFaceDevice d = CardFaceDevice.of(new FontCheck.Found(FontCheckTest.latinOnlyFont(), "test"),
                CardFaceRenderer.TITLE_WENZHOU, clock);
        assertThat(d.health().reason()).isEqualTo(HealthReason.CONFIGURATION_ERROR);
        assertThat(d.health().message()).contains("cannot show", "bundled card font");
        assertThat(d.renderer()).isEmpty();
    }
}
