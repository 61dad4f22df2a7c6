package cardterm.terminal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/** What several benches do alike: close a Paho client, remove a temporary folder, fail with a reason. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** Disconnects and closes {@code c} (null: nothing), whatever state it is in. */
    static void disconnect(MqttAsyncClient c) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect().waitForCompletion(2000);
            }
            c.close();
        } catch (MqttException e) {
            // closing anyway
        }
    }

    /** Removes {@code dir} and all below it; a temporary folder left behind at worst. */
    static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left behind
        }
    }

    /** The bench could not go on; the message says why. */
    static final class BenchFailure extends RuntimeException {
        BenchFailure(String message) {
            super(message, null, false, false);
        }
    }
}
