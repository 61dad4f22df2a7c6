package cardterm.devices.printer.sim;

import cardterm.bridge.ecl.EclCodec;
import cardterm.bridge.ecl.EclCommand;
import cardterm.bridge.ecl.EclCommandDecoder;
import cardterm.bridge.ecl.EclResponse;
import cardterm.bridge.link.DoublingBackoff;
import cardterm.bridge.link.Link;
import cardterm.bridge.transport.PipeTransport;
import cardterm.bridge.transport.SerialTransport;
import cardterm.bridge.transport.TcpTransport;
import cardterm.bridge.transport.Transport;
import cardterm.bridge.transport.TransportLostException;
import cardterm.bridge.transport.TransportOpener;
import cardterm.devices.printer.PrinterLink;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated ecl card printer on a line: serves an {@link EclPrinterModel} over a transport, the
 * device end of a socat pty ({@link #servePath}), a TCP port ({@link #serveTcp}), or an in-process
 * pipe ({@link #inProcessLink}). The printer's behaviour is the pure {@link EclPrinterModel} ({@link #printer()},
 * where the faults are); this class adds the I/O, the timing of mechanical steps (realistic
 * durations times {@code timeScale}; 0 = instant) and line faults: slow answers and garbage.
 *
 * <p>Threads: one daemon reader per connection ({@code printer-sim-<name>}) and one daemon thread
 * ({@code printer-sim-steps}) that ends mechanical steps and sends delayed answers.
 */
public final class EclPrinterServer implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(EclPrinterServer.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final EclPrinterModel printer;
    private final double timeScale;
    private final ScheduledExecutorService steps;
    private final List<Closeable> servings = new CopyOnWriteArrayList<>();
    private final Random random = new Random();
    private volatile Duration responseDelay = Duration.ZERO;
    private final AtomicInteger garbledAnswers = new AtomicInteger();
    private volatile Connection current;
    private volatile boolean closed;
    private volatile int tcpPort = -1;

    /**
     * @param timeScale multiplies the realistic step durations; 0 answers mechanical steps at once
     */
    public EclPrinterServer(EclPrinterModel printer, double timeScale) {
        this.printer = Objects.requireNonNull(printer, "printer");
        if (!(timeScale >= 0) || timeScale > 100) {
            throw new IllegalArgumentException("timeScale must be 0..100: " + timeScale);
        }
        this.timeScale = timeScale;
        int id = IDS.incrementAndGet();
        this.steps = cardterm.devices.concurrent.ServiceThreads.scheduler("printer-sim-steps-" + id, 1);
    }

    /** An instant (time scale 0) simulator of a printer with {@code settings}. */
    public static EclPrinterServer instant(EclPrinterModel.Settings settings) {
        return new EclPrinterServer(new EclPrinterModel(settings), 0);
    }

    /** Starts a simulator serving on a device path (e.g. the device end of a socat pty); reopens it after loss. */
    public static EclPrinterServer startOnPath(Path devicePath, EclPrinterModel.Settings settings, double timeScale) {
        EclPrinterServer sim = new EclPrinterServer(new EclPrinterModel(settings), timeScale);
        sim.servePath(devicePath);
        return sim;
    }

    /** Starts a simulator serving on a loopback TCP port (0 = any free one; see {@link Serving#port()}). */
    public static EclPrinterServer startOnTcp(int port, EclPrinterModel.Settings settings, double timeScale)
            throws IOException {
        EclPrinterServer sim = new EclPrinterServer(new EclPrinterModel(settings), timeScale);
        sim.serveTcp(InetAddress.getLoopbackAddress(), port);
        return sim;
    }

    /** The simulated printer: its state and its faults. */
    public EclPrinterModel printer() {
        return printer;
    }

    public void addListener(EclPrinterModelListener listener) {
        printer.addListener(listener);
    }

    /** Something being served; closing it stops serving. */
    public interface Serving extends Closeable {
        /** The TCP port served on, or -1. */
        default int port() {
            return -1;
        }

        @Override
        void close();
    }

    // ---------------------------------------------------------------- serving

    /**
     * Joins a host to this simulator in-process: makes a pipe pair, serves its device end, and
     * returns a started {@link PrinterLink} on its host end (it cannot reconnect once cut or closed).
     */
    public PrinterLink inProcessLink(String name) {
        PipeTransport.Pair pair = PipeTransport.pair(name);
        serve(pair.device());
        return PrinterLink.over(Link.create(name, TransportOpener.once(pair.host()))).start();
    }

    /** Serves one already open transport until it is lost or closed. */
    private Serving serve(Transport transport) {
        Connection c = startConnection(transport);
        Serving s = c::close;
        servings.add(s);
        return s;
    }

    private Connection startConnection(Transport transport) {
        Connection c = new Connection(transport);
        current = c;
        c.start();
        return c;
    }

    /**
     * A printer link (not started) to this simulator through an in-process pipe instead of a port:
     * no socket, no file. Each time the link opens it gets a new pipe; the old one's connection
     * ends. For many simulated terminals in one JVM, where sockets and their selectors would run
     * the process out of file descriptors.
     */
    public cardterm.devices.printer.PrinterLink inProcessLink() {
        cardterm.bridge.transport.TransportOpener opener = new cardterm.bridge.transport.TransportOpener() {
            @Override
            public cardterm.bridge.transport.Transport open() throws IOException {
                if (closed) {
                    throw new IOException("the printer simulator is closed");
                }
                cardterm.bridge.transport.PipeTransport.Pair pair = cardterm.bridge.transport.PipeTransport.pair("printer-sim-pipe");
                Connection old = current;
                if (old != null) {
                    old.close();
                }
                startConnection(pair.device());
                return pair.host();
            }

            @Override
            public String describe() {
                return "in-process printer simulator";
            }
        };
        return cardterm.devices.printer.PrinterLink.over(cardterm.bridge.link.Link.create("printer", opener));
    }

    /**
     * Serves the serial device at {@code path}, opening it again (with capped backoff) whenever it
     * is lost, until closed: a socat restart is a cable plugged back in.
     */
    public Serving servePath(Path path) {
        PathServer server = new PathServer(path);
        servings.add(server);
        server.start();
        return server;
    }

    /** Serves TCP connections on {@code address:port} (0 = any free port); a new connection replaces the old. */
    public Serving serveTcp(InetAddress address, int port) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(address, port));
        int bound = ((InetSocketAddress) server.getLocalAddress()).getPort();
        tcpPort = bound;
        cardterm.devices.concurrent.ServiceThreads.start("printer-sim-tcp-" + bound, () -> {
            while (!closed && server.isOpen()) {
                try {
                    SocketChannel ch = server.accept();
                    Connection old = current;
                    if (old != null) {
                        old.close();
                    }
                    startConnection(TcpTransport.accepted(ch, Duration.ofSeconds(10)));
                } catch (IOException e) {
                    if (!closed && server.isOpen()) {
                        log.debug("simulator accept failed", e);
                    }
                }
            }
        });
        Serving s = new Serving() {
            @Override
            public int port() {
                return bound;
            }

            @Override
            public void close() {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                Connection c = current;
                if (c != null) {
                    c.close();
                }
            }
        };
        servings.add(s);
        return s;
    }

    // ---------------------------------------------------------------- line faults

    /** Every answer is sent this much later (a slow printer); zero for none. */
    public void setResponseDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay");
        }
        this.responseDelay = delay;
    }

    /** The next {@code count} answers are each preceded by a line of random noise ending in CR. */
    public void garbleNextAnswers(int count) {
        garbledAnswers.set(count);
    }

    /** Writes {@code bytes} on the line now, as they are (noise, a half line, anything). */
    public void injectGarbage(byte[] bytes) throws IOException {
        Connection c = current;
        if (c == null) {
            throw new IOException("no host connected");
        }
        c.send(bytes.clone());
    }

    /** The TCP port last served on by {@link #serveTcp} (useful with port 0), or -1. */
    public int tcpPort() {
        return tcpPort;
    }

    /** True while a host connection is being served. */
    public boolean isConnected() {
        Connection c = current;
        return c != null && c.alive;
    }

    @Override
    public void close() {
        closed = true;
        for (Closeable s : servings) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        Connection c = current;
        if (c != null) {
            c.close();
        }
        steps.shutdownNow();
    }

    // ---------------------------------------------------------------- internals

    private Duration scaled(Duration d) {
        if (timeScale == 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) (d.toNanos() * timeScale));
    }

    /** One host connection: reads commands, answers them. */
    private final class Connection implements EclCommandDecoder.Sink {
        private final Transport transport;
        private final EclCommandDecoder decoder = new EclCommandDecoder();
        private final Thread thread;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean alive = true;

        Connection(Transport transport) {
            this.transport = transport;
            this.thread = cardterm.devices.concurrent.ServiceThreads.named("printer-sim-" + transport.name())
                    .unstarted(this::run);
        }

        void start() {
            thread.start();
        }

        private void run() {
            byte[] buf = new byte[64 * 1024];
            try {
                while (alive && !closed) {
                    int n = transport.read(buf, 0, buf.length, Duration.ofMillis(200));
                    if (n > 0) {
                        decoder.feed(buf, 0, n, this);
                    }
                }
            } catch (TransportLostException e) {
                log.debug("simulator lost {}: {}", transport.name(), e.getMessage());
            } finally {
                alive = false;
                transport.close();
                done.countDown();
            }
        }

        @Override
        public void command(EclCommand command, byte[] data) {
            EclPrinterModel.Outcome outcome = printer.handle(command, data);
            switch (outcome) {
                case EclPrinterModel.Answer a -> answer(a.response());
                case EclPrinterModel.Step step -> {
                    Duration d = scaled(step.duration());
                    if (d.isZero()) {
                        answer(printer.complete(step));
                    } else {
                        steps.schedule(() -> answer(printer.complete(step)), d.toNanos(), TimeUnit.NANOSECONDS);
                    }
                }
            }
        }

        @Override
        public void framingError(String reason) {
            answer(printer.framingError(reason).response());
        }

        private void answer(EclResponse response) {
            byte[] line = EclCodec.encode(response);
            if (garbledAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                byte[] noise = new byte[8 + random.nextInt(24)];
                random.nextBytes(noise);
                for (int i = 0; i < noise.length; i++) {
                    if (noise[i] == EclCodec.CR) {
                        noise[i] = 0x07;
                    }
                }
                noise[noise.length - 1] = EclCodec.CR;
                byte[] both = new byte[noise.length + line.length];
                System.arraycopy(noise, 0, both, 0, noise.length);
                System.arraycopy(line, 0, both, noise.length, line.length);
                line = both;
            }
            Duration delay = responseDelay;
            if (delay.isZero()) {
                send(line);
            } else {
                byte[] l = line;
                steps.schedule(() -> send(l), delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        void send(byte[] bytes) {
            synchronized (this) {
                if (!alive) {
                    return;
                }
                try {
                    transport.write(bytes);
                } catch (TransportLostException e) {
                    alive = false;
                }
            }
        }

        void close() {
            alive = false;
            transport.close();
            if (Thread.currentThread() != thread) {
                try {
                    done.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Opens a serial device path again and again, serving each opening until it is lost. */
    private final class PathServer implements Serving {
        private final Path path;
        private final Thread thread;
        private final CountDownLatch stop = new CountDownLatch(1);
        private volatile boolean stopped;

        PathServer(Path path) {
            this.path = path;
            this.thread = new Thread(this::run, "printer-sim-path-" + path.getFileName());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            DoublingBackoff backoff = new DoublingBackoff(Duration.ofMillis(20), Duration.ofMillis(500));
            int failures = 0;
            while (!stopped && !closed) {
                Transport t;
                try {
                    t = SerialTransport.open(path, SerialTransport.DEFAULT_BAUD, Duration.ofSeconds(10));
                } catch (IOException e) {
                    if (await(backoff.delay(failures++))) {
                        return;
                    }
                    continue;
                }
                failures = 0;
                Connection c = startConnection(t);
                try {
                    while (c.alive && !stopped && !closed) {
                        // the reader thread ends on loss; check now and then
                        if (c.done.await(100, TimeUnit.MILLISECONDS)) {
                            break;
                        }
                        if (!t.isOpen()) {
                            c.close();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    if (stopped || closed) {
                        c.close();
                    }
                }
            }
        }

        /** Waits, returning true when told to stop. */
        private boolean await(Duration d) {
            try {
                return stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }

        @Override
        public void close() {
            stopped = true;
            stop.countDown();
            Connection c = current;
            if (c != null) {
                c.close();
            }
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
