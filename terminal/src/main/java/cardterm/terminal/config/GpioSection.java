package cardterm.terminal.config;

import cardterm.devices.gpio.GpioSettings;
import cardterm.terminal.config.ConfigReader.Section;
import java.util.regex.Pattern;

/** {@code gpio}: the Pi4J provider and the GPIO chip, into {@link GpioSettings}. */
final class GpioSection {
    private static final Pattern GPIO_CHIP = Pattern.compile("(/dev/)?gpiochip\\d{1,3}");

    private GpioSection() {}

    static GpioSettings map(ConfigReader r, Section s) {
        if (!s.usable) {
            return null;
        }
        GpioSettings.Provider provider = s.choice("provider", GpioSettings.Provider.class, GpioSettings.Provider.GPIOD);
        String chip = s.string("chip");
        if (chip == null) {
            chip = GpioSettings.DEFAULT_CHIP;
        } else if (!GPIO_CHIP.matcher(chip).matches()) {
            r.problem(s.path("chip"), "'" + chip + "' is not a GPIO chip name (gpiochip0, or /dev/gpiochip0)");
            return null;
        }
        return provider == null || !s.valid("chip") ? null : new GpioSettings(provider, chip);
    }
}
