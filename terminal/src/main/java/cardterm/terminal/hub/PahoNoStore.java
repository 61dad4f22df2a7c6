package cardterm.terminal.hub;

import java.util.Collections;
import java.util.Enumeration;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttPersistable;

/**
 * Paho's store of messages in flight, keeping nothing. Paho copies every QoS 1 publish into its
 * persistence until the PUBACK, so that a client connecting again can send it again; a hub
 * session never connects again (each attempt is a new client), and what was not acknowledged is
 * in the {@link cardterm.terminal.store.Outbox} on disk and goes again from there. A
 * {@code MemoryPersistence} only cost a synchronised put and remove for every event. Paho keeps
 * messages in flight in its own tables besides (and this product sends no QoS 2).
 */
final class PahoNoStore implements MqttClientPersistence {
    @Override
    public void open(String clientId, String serverUri) {
        // nothing to open
    }

    @Override
    public void close() {
        // nothing to close
    }

    @Override
    public void put(String key, MqttPersistable message) {
        // not kept: the outbox has it
    }

    @Override
    public MqttPersistable get(String key) {
        return null;
    }

    @Override
    public void remove(String key) {
        // nothing kept
    }

    @Override
    public Enumeration<String> keys() {
        return Collections.emptyEnumeration();
    }

    @Override
    public void clear() {
        // nothing kept
    }

    @Override
    public boolean containsKey(String key) {
        return false;
    }
}
