package cardterm.terminal.systemd;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Sends datagrams to a Unix datagram socket (AF_UNIX, SOCK_DGRAM) such as systemd's
 * {@code $NOTIFY_SOCKET}, without native code of our own: the JDK's channels speak AF_UNIX only as
 * streams ({@code DatagramChannel.open(UNIX)} throws), so this calls libc's {@code socket},
 * {@code sendto} and {@code close} through the Foreign Function API ({@code java.lang.foreign},
 * final since Java 22). The API is reached reflectively so the project still compiles for Java 21;
 * on a runtime without it {@link #open()} says why in {@link Unavailable}.
 *
 * <p>One socket, opened once; {@link #send} is thread-safe and never blocks for long (a datagram
 * socket either takes the message or fails at once with MSG_DONTWAIT).
 */
final class UnixDatagramSender implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SUN_PATH_MAX = 108;
    private static final int SOCKADDR_UN_SIZE = 2 + SUN_PATH_MAX;

    /** The runtime has no usable Foreign Function API (Java 21 without preview, or a restricted JVM). */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A datagram could not be sent (no such socket, nobody listening, too big). */
    static final class SendFailed extends Exception {
        private static final long serialVersionUID = 1L;

        SendFailed(String message) {
            super(message);
        }
    }

    private final Ffi ffi;
    private final int fd;
    private boolean closed;

    private UnixDatagramSender(Ffi ffi, int fd) {
        this.ffi = ffi;
        this.fd = fd;
    }

    /** Opens an unbound AF_UNIX datagram socket. */
    static UnixDatagramSender open() throws Unavailable {
        Ffi ffi = Ffi.load();
        int fd;
        try {
            fd = (int) ffi.socket.invokeWithArguments(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (Throwable t) {
            throw new Unavailable("socket() could not be called: " + t, t);
        }
        if (fd < 0) {
            throw new Unavailable("socket(AF_UNIX, SOCK_DGRAM) failed", null);
        }
        return new UnixDatagramSender(ffi, fd);
    }

    /**
     * The socket address of {@code path}: a file path, or an abstract name written with a leading
     * {@code @} (as systemd does in {@code NOTIFY_SOCKET}).
     *
     * @return the bytes of a {@code struct sockaddr_un}, as long as the address needs
     */
    static byte[] sockaddr(String path) {
        boolean abstractName = path.startsWith("@");
        byte[] name = (abstractName ? path.substring(1) : path).getBytes(StandardCharsets.UTF_8);
        int pathBytes = abstractName ? 1 + name.length : name.length + 1; // leading NUL, or trailing NUL
        if (path.isEmpty() || pathBytes > SUN_PATH_MAX) {
            throw new IllegalArgumentException("not a usable Unix socket path (1.." + (SUN_PATH_MAX - 1)
                    + " bytes): '" + path + "'");
        }
        ByteBuffer b = ByteBuffer.allocate(2 + pathBytes).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (abstractName) {
            b.put((byte) 0);
        }
        b.put(name);
        if (!abstractName) {
            b.put((byte) 0);
        }
        return b.array();
    }

    /** Sends one datagram to the socket at {@code path}. */
    synchronized void send(String path, byte[] payload) throws SendFailed {
        if (closed) {
            throw new SendFailed("the sender is closed");
        }
        byte[] addr = sockaddr(path);
        long sent;
        try {
            sent = ffi.sendto(fd, payload, addr, MSG_NOSIGNAL | MSG_DONTWAIT);
        } catch (Throwable t) {
            throw new SendFailed("sendto " + path + " could not be called: " + t);
        }
        if (sent < 0) {
            throw new SendFailed("sendto " + path + " failed (no socket there, or nobody reading it)");
        }
        if (sent != payload.length) {
            throw new SendFailed("sendto " + path + " sent " + sent + " of " + payload.length + " bytes");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ffi.close.invokeWithArguments(fd);
        } catch (Throwable t) {
            // nothing more to do about a socket that will not close
        }
    }

    /** The few libc functions we need, bound through java.lang.foreign by reflection. */
    private static final class Ffi {
        private static volatile Object loaded; // Ffi or Unavailable

        final MethodHandle socket;
        final MethodHandle sendto;
        final MethodHandle close;
        final Method arenaOfConfined;
        final Method arenaAllocate;
        final Method arenaClose;
        final Method segmentOfArray;
        final Method segmentCopyFrom;

        private Ffi(MethodHandle socket, MethodHandle sendto, MethodHandle close, Method arenaOfConfined,
                Method arenaAllocate, Method arenaClose, Method segmentOfArray, Method segmentCopyFrom) {
            this.socket = socket;
            this.sendto = sendto;
            this.close = close;
            this.arenaOfConfined = arenaOfConfined;
            this.arenaAllocate = arenaAllocate;
            this.arenaClose = arenaClose;
            this.segmentOfArray = segmentOfArray;
            this.segmentCopyFrom = segmentCopyFrom;
        }

        static Ffi load() throws Unavailable {
            Object l = loaded;
            if (l == null) {
                synchronized (Ffi.class) {
                    l = loaded;
                    if (l == null) {
                        try {
                            l = bind();
                        } catch (Unavailable u) {
                            l = u;
                        }
                        loaded = l;
                    }
                }
            }
            if (l instanceof Unavailable u) {
                throw new Unavailable(u.getMessage(), u);
            }
            return (Ffi) l;
        }

        private static Ffi bind() throws Unavailable {
            if (Runtime.version().feature() < 22) {
                throw new Unavailable("sd_notify needs Java 22 or newer (the Foreign Function API); this is Java "
                        + Runtime.version().feature(), null);
            }
            try {
                Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
                Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
                Class<?> fdC = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> valueLayoutC = Class.forName("java.lang.foreign.ValueLayout");
                Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
                Object linker = linkerC.getMethod("nativeLinker").invoke(null);
                Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
                Object jInt = valueLayoutC.getField("JAVA_INT").get(null);
                Object jLong = valueLayoutC.getField("JAVA_LONG").get(null);
                Object address = valueLayoutC.getField("ADDRESS").get(null);
                Method of = fdC.getMethod("of", layoutC, layoutC.arrayType());
                Method find = lookupC.getMethod("find", String.class);
                Method downcall = linkerC.getMethod("downcallHandle", segmentC, fdC, optionC.arrayType());
                Object noOptions = java.lang.reflect.Array.newInstance(optionC, 0);

                Object socketD = of.invoke(null, jInt, layouts(layoutC, jInt, jInt, jInt));
                Object sendtoD = of.invoke(null, jLong, layouts(layoutC, jInt, address, jLong, jInt, address, jInt));
                Object closeD = of.invoke(null, jInt, layouts(layoutC, jInt));
                MethodHandle socket = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "socket"), socketD,
                        noOptions);
                MethodHandle sendto = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "sendto"), sendtoD,
                        noOptions);
                MethodHandle close = (MethodHandle) downcall.invoke(linker, symbol(find, lookup, "close"), closeD,
                        noOptions);
                return new Ffi(socket, sendto, close, arenaC.getMethod("ofConfined"),
                        arenaC.getMethod("allocate", long.class), arenaC.getMethod("close"),
                        segmentC.getMethod("ofArray", byte[].class), segmentC.getMethod("copyFrom", segmentC));
            } catch (ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null
                        ? ite.getCause() : e;
                throw new Unavailable("the Foreign Function API is not usable here: " + cause, cause);
            }
        }

        private static Object layouts(Class<?> layoutC, Object... l) {
            Object arr = java.lang.reflect.Array.newInstance(layoutC, l.length);
            for (int i = 0; i < l.length; i++) {
                java.lang.reflect.Array.set(arr, i, l[i]);
            }
            return arr;
        }

        private static Object symbol(Method find, Object lookup, String name) throws ReflectiveOperationException,
                Unavailable {
            Optional<?> s = (Optional<?>) find.invoke(lookup, name);
            if (s.isEmpty()) {
                throw new Unavailable("libc has no " + name + "()", null);
            }
            return s.get();
        }

        /** sendto(fd, payload, len, flags, addr, addrlen) with both buffers copied to native memory. */
        long sendto(int fd, byte[] payload, byte[] addr, int flags) throws Throwable {
            Object arena = arenaOfConfined.invoke(null);
            try {
                Object buf = arenaAllocate.invoke(arena, (long) Math.max(1, payload.length));
                segmentCopyFrom.invoke(buf, segmentOfArray.invoke(null, (Object) payload));
                Object sa = arenaAllocate.invoke(arena, (long) SOCKADDR_UN_SIZE);
                segmentCopyFrom.invoke(sa, segmentOfArray.invoke(null, (Object) addr));
                return (long) sendto.invokeWithArguments(fd, buf, (long) payload.length, flags, sa, addr.length);
            } finally {
                arenaClose.invoke(arena);
            }
        }
    }
}
