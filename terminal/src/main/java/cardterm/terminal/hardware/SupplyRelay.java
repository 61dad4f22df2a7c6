package cardterm.terminal.hardware;

import cardterm.devices.printer.Supply;
import cardterm.devices.printer.SupplyEvent;
import cardterm.devices.printer.SupplyLevel;
import cardterm.devices.printer.SupplyListener;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Handed to the printer driver as its {@link SupplyListener}; passes supply changes on to the
 * terminal and remembers each supply's last level for {@code health}.
 */
public final class SupplyRelay implements SupplyListener {
    private final List<SupplyListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Supply, SupplyEvent> last = new EnumMap<>(Supply.class);

    public void addListener(SupplyListener l) {
        listeners.add(l);
    }

    @Override
    public void supplyChanged(SupplyEvent event) {
        synchronized (last) {
            last.put(event.supply(), event);
        }
        for (SupplyListener l : listeners) {
            l.supplyChanged(event);
        }
    }

    /** Each supply's last level that changed, with its detail text. */
    public Map<Supply, SupplyEvent> lastEvents() {
        synchronized (last) {
            return Map.copyOf(last);
        }
    }

    public SupplyLevel level(Supply s) {
        synchronized (last) {
            SupplyEvent e = last.get(s);
            return e == null ? SupplyLevel.UNKNOWN : e.level();
        }
    }
}
