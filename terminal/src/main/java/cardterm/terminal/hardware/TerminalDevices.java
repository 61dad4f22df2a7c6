package cardterm.terminal.hardware;

import cardterm.devices.chip.ChipPersonalizer;
import cardterm.devices.gpio.GpioBoard;
import cardterm.devices.health.MonitoredDevice;
import cardterm.devices.printer.CardPrinter;
import java.util.List;
import java.util.Objects;

/**
 * The devices a terminal runs on: real ones for {@code run}, simulated ones for {@code simulate}.
 * The terminal does not close them; whoever made them does.
 *
 * @param readers the card and SAM readers (for health)
 * @param personalizer the chip personalizer on those readers
 * @param printer the card printer
 * @param supplies the relay the printer driver reports supply changes to
 * @param gpio the GPIO board the call buttons, lamps and buzzers are on
 */
public record TerminalDevices(List<MonitoredDevice> readers, ChipPersonalizer personalizer, CardPrinter printer,
        SupplyRelay supplies, GpioBoard gpio) {
    public TerminalDevices {
        readers = List.copyOf(readers);
        Objects.requireNonNull(personalizer, "personalizer");
        Objects.requireNonNull(printer, "printer");
        Objects.requireNonNull(supplies, "supplies");
        Objects.requireNonNull(gpio, "gpio");
    }
}
