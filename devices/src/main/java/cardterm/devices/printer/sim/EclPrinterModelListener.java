package cardterm.devices.printer.sim;

import cardterm.devices.printer.CardDestination;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.Panel;
import cardterm.devices.printer.RibbonType;
import java.util.Map;

/**
 * Hooks of the {@link EclPrinterServer}, so a whole simulated terminal can follow the card: a
 * simulated chip reader gets a blank card while one is in the contact station, the simulation can
 * save the printed sides as images. Called on a simulator thread, after the printer's answer
 * decided; must not block.
 */
public interface EclPrinterModelListener {

    /** {@code Sic} done: a blank card is in the contact station (the chip is reachable). */
    default void cardEnteredStation() {
    }

    /** The card that was in the contact station left it (eject, reject, or taken out by hand). */
    default void cardLeftStation(CardDestination destination) {
    }

    /**
     * {@code Se} printed a side. {@code panels} holds the downloaded images (y/m/c 8 bits a pixel,
     * k 1 bit a pixel rows packed MSB first, o empty), 1016 x 648; read only.
     */
    default void sidePrinted(CardSide side, RibbonType ribbon, Map<Panel, byte[]> panels) {
    }

    /** A card left the printer; {@code printed} says whether any side was printed on it. */
    default void cardEjected(CardDestination destination, boolean printed) {
    }
}
