package cardterm.bridge.testing;

import cardterm.bridge.ecl.EclCodec;
import cardterm.bridge.ecl.EclCommand;
import cardterm.bridge.ecl.EclCommandDecoder;
import cardterm.bridge.ecl.EclResponse;
import cardterm.bridge.transport.Transport;
import cardterm.bridge.transport.TransportLostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny ecl device for unit tests of the host side: decodes commands from a transport and answers
 * each with what a script returns (raw bytes, possibly none, possibly late). Records every command.
 */
public final class ScriptedDevice implements AutoCloseable {

    /** What to send for one command: {@code bytes} after {@code delay}. */
    public record Reply(Duration delay, byte[] bytes) {
        public static Reply now(String wire) {
            return new Reply(Duration.ZERO, wire.getBytes(StandardCharsets.ISO_8859_1));
        }

        public static Reply line(EclResponse r) {
            return new Reply(Duration.ZERO, EclCodec.encode(r));
        }

        public static Reply later(Duration delay, String wire) {
            return new Reply(delay, wire.getBytes(StandardCharsets.ISO_8859_1));
        }

        public static Reply none() {
            return new Reply(Duration.ZERO, new byte[0]);
        }
    }

    private final Transport transport;
    private final Function<EclCommand, Reply> script;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ScriptedDevice(Transport transport, Function<EclCommand, Reply> script) {
        this.transport = transport;
        this.script = script;
        this.thread = new Thread(this::run, "scripted-device");
        thread.setDaemon(true);
        thread.start();
    }

    /** Commands received so far, as in traces ({@code Db;k;front;3}); framing errors as {@code FRAMING}. */
    public List<String> received() {
        return List.copyOf(received);
    }

    private void run() {
        EclCommandDecoder decoder = new EclCommandDecoder();
        byte[] buf = new byte[8192];
        EclCommandDecoder.Sink sink = new EclCommandDecoder.Sink() {
            @Override
            public void command(EclCommand command, byte[] data) {
                received.add(command.toString());
                Reply r = script.apply(command);
                try {
                    if (!r.delay().isZero()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(r.delay().toNanos());
                    }
                    if (r.bytes().length > 0) {
                        transport.write(r.bytes());
                    }
                } catch (TransportLostException e) {
                    running = false;
                }
            }

            @Override
            public void framingError(String reason) {
                received.add("FRAMING");
            }
        };
        try {
            while (running) {
                int n = transport.read(buf, 0, buf.length, Duration.ofMillis(50));
                if (n > 0) {
                    decoder.feed(buf, 0, n, sink);
                }
            }
        } catch (TransportLostException e) {
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        transport.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
