package cardterm.devices.gpio;

import com.pi4j.context.ContextBuilder;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Run in a fresh JVM by {@link Pi4jQuietTest}: Pi4J detects the board once per JVM. With
 * {@code board}, builds a mock GpioBoard; with {@code raw}, a bare Pi4J context.
 */
public final class QuietBoardMain {
    private QuietBoardMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("raw")) {
            ContextBuilder.newInstance().noAutoDetect().add(MockDigitalInputProvider.newInstance())
                    .disableShutdownHook().build().shutdown();
        } else {
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
            try (GpioBoard board = GpioBoard.mock(s, Clock.systemUTC())) {
                System.out.println("board " + board.health());
            } finally {
                s.shutdownNow();
            }
        }
        System.out.println("done");
    }
}
