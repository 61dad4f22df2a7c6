package cardterm.terminal.issuance;

import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.FontCheck;
import cardterm.terminal.hardware.RealDevices;
import cardterm.terminal.app.TerminalService;
import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigResult;
import cardterm.terminal.config.TerminalConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A terminal in its own JVM for crash tests: {@code cardterm run} on the config given, with a kill
 * hook at one journaled point of issuance. Arguments: the config file, and the point as
 * {@code name#n} (the n-th time the point is reached, e.g. {@code record.ended#3}) or {@code none}.
 * Prints {@code READY} once connected to the broker with recovery done, and {@code AT <point>} when
 * the point is reached; then it stops there, forever, until the test kills it with SIGKILL.
 */
public final class KillableIssuanceMain {
    private KillableIssuanceMain() {
    }

    public static void main(String[] args) throws Exception {
        TerminalConfig config = ((ConfigResult.Valid) ConfigLoader.load(Path.of(args[0]), Map.of())).config();
        String point = args[1];
        String name = point.contains("#") ? point.substring(0, point.indexOf('#')) : point;
        int nth = point.contains("#") ? Integer.parseInt(point.substring(point.indexOf('#') + 1)) : 1;
        AtomicInteger seen = new AtomicInteger();
        RealDevices devices = new RealDevices(config, Clock.systemUTC());
        FontCheck.Found font = (FontCheck.Found) FontCheck.find(config.issuance().cardFont());
        TerminalService terminal = TerminalService.start(config, devices.devices(),
                CardFaceRenderer.of(font, CardFaceRenderer.TITLE_WENZHOU), Clock.systemUTC(), "crash-test");
        CountDownLatch forever = new CountDownLatch(1);
        terminal.issuance().setProbe(p -> {
            if (p.equals(name) && seen.incrementAndGet() == nth) {
                System.out.println("AT " + point);
                System.out.flush();
                try {
                    forever.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        // not ready in time: the exception ends this child, and the test waiting for READY fails
        org.awaitility.Awaitility.await("terminal connected and recovered").atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> terminal.hub().status().connected() && terminal.issuance().recovered());
        System.out.println("READY");
        System.out.flush();
        forever.await();
    }
}
