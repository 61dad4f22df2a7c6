package cardterm.devices.printer;

/** Told when a printer supply becomes low, empty, or is replenished. Must not block. */
@FunctionalInterface
public interface SupplyListener {
    void supplyChanged(SupplyEvent event);
}
