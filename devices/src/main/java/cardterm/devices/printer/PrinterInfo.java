package cardterm.devices.printer;

import java.util.Objects;

/** What {@code Rfv} and {@code Rsn} say: firmware version and serial number. */
public record PrinterInfo(String firmware, String serial) {
    public PrinterInfo {
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(serial, "serial");
    }
}
