package cardterm.terminal.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPIO slice through real parts: the Pi4J mock input of call button {@code call-1} goes active
 * (low, pull-up wiring) and an {@code assist.call.raised} event arrives from a real mosquitto; the
 * lamp's Pi4J output starts blinking before that, regardless of the network.
 */
class GpioSliceTest {
    @Test
    void mockButtonPressBecomesAnAssistCallRaisedEventOnTheBroker(@TempDir Path work) throws Exception {
        try (Mosquitto broker = Mosquitto.startPlain();
                MqttRecorder hub = MqttRecorder.start(broker.uri(), "cardterm/v1/#")) {
            TerminalConfig config = TerminalConfig.forSimulation(work.resolve("data"), broker.uri());
            AssistConfig.ButtonConfig button = config.assist().button("call-1");
            try (SimulatedTerminal sim = SimulatedTerminal.start(config, work, new PrintStream(OutputStream.nullOutputStream()),
                    0, Clock.system(config.terminal().timeZone()), "test")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !hub.on("cardterm/v1/sim/sim-01/state").isEmpty());
                long lampChangesBefore = sim.gpio().mockPins().changes("call-1.lamp");

                sim.gpio().mockPins().setInput(button.wiring().buttonPin(), false); // pressed: active low
                await().atMost(Duration.ofSeconds(2)).until(() -> sim.gpio().mockPins().changes("call-1.lamp") > lampChangesBefore);
                sim.gpio().mockPins().setInput(button.wiring().buttonPin(), true);

                await().atMost(Duration.ofSeconds(5)).until(() -> !raised(hub).isEmpty());
                MqttRecorder.Message m = raised(hub).get(0);
                assertThat(ContractSchemas.validate(m.topic(), m.payload())).isEmpty();
                assertThat(m.topic()).isEqualTo("cardterm/v1/sim/sim-01/event/assist");
                assertThat(m.json().path("data").path("button").path("id").asText()).isEqualTo("call-1");
                assertThat(m.json().path("data").path("button").path("location").asText()).isEqualTo(button.location());
            }
        }
    }

    private static List<MqttRecorder.Message> raised(MqttRecorder hub) {
        return hub.messages(m -> m.topic().endsWith("/event/assist")
                && m.json().path("type").asText().equals("assist.call.raised"));
    }
}
