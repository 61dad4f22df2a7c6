package cardterm.devices.printer;

import cardterm.devices.health.MonitoredDevice;
import java.util.Map;

/**
 * The instant card printer, as the issuance job uses it (printer-protocol.md, "Issuance order"):
 * {@link #status()} must be READY or WARNING, {@link #feedToEncoder()}, chip work over PC/SC,
 * {@link #print}, then {@link #eject()}; on a chip failure or a printer error, {@link #reject()}.
 * Device id {@value #DEVICE_ID}. Calls block until the printer answered; one runs at a time.
 */
public interface CardPrinter extends MonitoredDevice {
    String DEVICE_ID = "printer";

    /** {@code Rst}. */
    PrinterStatus status() throws PrinterException;

    /** {@code Rsp}. */
    Supplies supplies() throws PrinterException;

    /** {@code Rfv} and {@code Rsn}. */
    PrinterInfo info() throws PrinterException;

    /** {@code Sic}: a blank card from the feeder into the contact station. */
    void feedToEncoder() throws PrinterException;

    /**
     * Prints one side: {@code Ss} (which feeds a card when none is inside), one {@code Db} per panel
     * the loaded ribbon needs, {@code Se}. {@code panels} must hold every panel the ribbon needs
     * except {@link Panel#O} (sent empty when absent), each of {@link Panel#byteCount()} bytes;
     * panels the ribbon does not use are ignored.
     *
     * @throws IllegalArgumentException when a needed panel is missing or of the wrong size (nothing is sent)
     */
    void print(CardSide side, Map<Panel, byte[]> panels) throws PrinterException;

    /** {@code Eo}: the card to the output tray, to the citizen. Refused after a jam. */
    void eject() throws PrinterException;

    /** {@code Er}: the card to the reject box. */
    void reject() throws PrinterException;
}
