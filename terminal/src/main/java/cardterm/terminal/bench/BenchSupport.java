package cardterm.terminal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/** What the benches do alike: close a Paho client, remove a temporary folder, take a median, fail with a reason. */
public final class BenchSupport {
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

    /** Removes {@code dir} (null: nothing) and all below it; a temporary folder left behind at worst. */
    public static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left behind
        }
    }

    /** The median of {@code values} (not changed). */
    public static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The bench could not go on; the message says why. */
    static final class BenchFailure extends RuntimeException {
        BenchFailure(String message) {
            super(message, null, false, false);
        }
    }
}
