package cardterm.terminal.assist;

import cardterm.devices.gpio.BeepPattern;
import cardterm.devices.gpio.LampPattern;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Something the call state machine asks the world to do. Device effects come before the events of
 * the same step: the caller is answered before anything touches the network.
 */
public sealed interface AssistEffect {
    /** Show {@code pattern} on button {@code buttonId}'s lamp. */
    record ShowLamp(String buttonId, LampPattern pattern) implements AssistEffect {
        public ShowLamp {
            Objects.requireNonNull(buttonId, "buttonId");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** Play {@code pattern} on button {@code buttonId}'s buzzer. */
    record PlayBuzzer(String buttonId, BeepPattern pattern) implements AssistEffect {
        public PlayBuzzer {
            Objects.requireNonNull(buttonId, "buttonId");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** Publish event {@code type} (e.g. {@code assist.call.raised}) with {@code data}. */
    record Publish(String type, ObjectNode data) implements AssistEffect {
        public Publish {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
        }
    }
}
