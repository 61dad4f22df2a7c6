package cardterm.terminal.assist;

import cardterm.devices.gpio.Buzzer;
import cardterm.devices.gpio.CallButton;
import cardterm.devices.gpio.Lamp;
import java.util.Objects;

/** The devices of one call point: its button, lamp and buzzer. The button's device id names it. */
public record AssistStation(CallButton button, Lamp lamp, Buzzer buzzer) {
    public AssistStation {
        Objects.requireNonNull(button, "button");
        Objects.requireNonNull(lamp, "lamp");
        Objects.requireNonNull(buzzer, "buzzer");
    }

    public String buttonId() {
        return button.deviceId();
    }
}
