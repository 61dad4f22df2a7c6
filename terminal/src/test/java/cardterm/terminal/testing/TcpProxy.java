package cardterm.terminal.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of a broker, to break the network in tests: {@link #cutAll()}
 * closes every connection (a reset), {@link #blackHole(boolean)} keeps connections open but lets
 * no byte through either way (a network cut TCP does not notice: only keep-alive can find it).
 * Connections black-holed stay dead after healing, as after a real outage.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private volatile boolean blackHole;
    private volatile boolean closed;
    private final Thread acceptor;

    private final class Pair {
        final Socket client;
        final Socket upstream;
        volatile boolean dead;

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            pairs.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private TcpProxy(String host, int port) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("proxy-accept-" + server.getLocalPort()).start(this::accept);
    }

    /** A proxy to {@code host:port} on a free loopback port. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code tcp://127.0.0.1:PORT}. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** Connections open now. */
    public int connections() {
        return pairs.size();
    }

    /**
     * On: from now no byte passes on any connection, old or new (they stay open). Off: new
     * connections work again; those black-holed are closed.
     */
    public void blackHole(boolean on) {
        if (on) {
            for (Pair p : pairs) {
                p.dead = true;
            }
            blackHole = true;
        } else {
            blackHole = false;
            for (Pair p : pairs) {
                if (p.dead) {
                    p.close();
                }
            }
        }
    }

    /** Closes every connection now. */
    public void cutAll() {
        for (Pair p : pairs) {
            p.close();
        }
    }

    private void accept() {
        while (!closed) {
            Socket c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            Socket up = new Socket();
            try {
                up.connect(target, 2_000);
                c.setTcpNoDelay(true);
                up.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(c);
                closeQuietly(up);
                continue;
            }
            Pair p = new Pair(c, up);
            p.dead = blackHole;
            pairs.add(p);
            Thread.ofPlatform().daemon().name("proxy-up").start(() -> pump(p, c, up));
            Thread.ofPlatform().daemon().name("proxy-down").start(() -> pump(p, up, c));
        }
    }

    private void pump(Pair p, Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (!p.dead) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            p.close();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        cutAll();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
