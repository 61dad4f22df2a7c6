package cardterm.bridge.ecl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EclCommandTest {

    @Test
    void encodesEscNameArgsCrAndNeverLf() {
        assertThat(new String(EclCommand.download("k", "front", 82_296).encode(), StandardCharsets.US_ASCII))
                .isEqualTo("\u001bDb;k;front;82296\r");
        assertThat(EclCommand.RST.encode()).containsExactly(0x1b, 'R', 's', 't', 0x0d);
    }

    @Test
    void refusesWhatCannotBeSent() {
        assertThatThrownBy(() -> EclCommand.of("R st")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EclCommand.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EclCommand.of("Pem", "a;b")).hasMessageContaining("bad argument");
        assertThatThrownBy(() -> EclCommand.of("Pem", "a\rb")).hasMessageContaining("bad argument");
        assertThatThrownBy(() -> EclCommand.of("Pem", "x".repeat(300))).hasMessageContaining("over 256");
    }

    @Test
    void kinds() {
        assertThat(EclCommand.RST.isIdempotent()).isTrue();
        assertThat(EclCommand.SE.isIdempotent()).isFalse();
        assertThat(EclCommand.SE.isMechanical()).isTrue();
        assertThat(EclCommand.PEM_HOST.isMechanical()).isFalse();
    }

    @Test
    void responsesEncodeToValidLines() {
        assertThat(EclCodec.encode(EclResponse.Ok.INSTANCE)).containsExactly('O', 'K', 0x0d);
        assertThat(new String(EclCodec.encode(EclResponse.Err.of(EclErrorCode.JAM, "jam\r\nhere")),
                StandardCharsets.US_ASCII)).isEqualTo("ERR;JAM;jam??here\r");
        assertThat(EclCodec.encode(new EclResponse.Data("x".repeat(500)))).hasSize(257);
    }

    @Test
    void timeoutsByKind() {
        EclTimeouts t = EclTimeouts.defaults().withQuery(Duration.ofMillis(300))
                .withMechanical(Duration.ofSeconds(30)).withCommand("Se", Duration.ofSeconds(120));
        assertThat(t.timeoutFor(EclCommand.RST, 0)).isEqualTo(Duration.ofMillis(300));
        assertThat(t.timeoutFor(EclCommand.SIC, 0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.timeoutFor(EclCommand.SE, 0)).isEqualTo(Duration.ofSeconds(120));
        assertThat(t.timeoutFor(EclCommand.download("y", "front", 658_368), 658_368))
                .isEqualTo(Duration.ofSeconds(5).plusMillis(131_673));
        assertThatThrownBy(() -> t.withQueryRetries(99)).isInstanceOf(IllegalArgumentException.class);
    }
}
