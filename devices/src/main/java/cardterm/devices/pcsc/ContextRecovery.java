package cardterm.devices.pcsc;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/**
 * Re-establishes the JDK's PC/SC context after pcscd restarted.
 *
 * <p>SunPCSC keeps one {@code SCARDCONTEXT} per process in the static field
 * {@code sun.security.smartcardio.PCSCTerminals.contextId} and only establishes it while that is
 * 0. When pcscd restarts the context dies, every call answers {@code SCARD_E_NO_SERVICE} for good,
 * and a fresh {@code TerminalFactory.getInstance("PC/SC", null)} does not help (measured: it
 * keeps the dead context). Two ways out, both measured against a real pcscd restart:
 * <ul>
 *   <li>{@link Strategy#REFLECTION}: establish a new context through {@code PCSC.SCardEstablishContext}
 *       and store it, then clear the cache of terminal objects bound to the old one. Needs
 *       {@code --add-opens java.smartcardio/sun.security.smartcardio=ALL-UNNAMED} (on the command
 *       line, or {@code Add-Opens} in an executable jar's manifest).</li>
 *   <li>{@link Strategy#UNSAFE}: without that flag, set the field back to 0 and clear the cache
 *       through {@code sun.misc.Unsafe}, then let a new {@code TerminalFactory} establish the
 *       context the JDK's own way. Works on JDK 21 to 25 (which prints a one-time warning about
 *       Unsafe); on a JDK that forbids it, {@link #available()} says so.</li>
 * </ul>
 * Both run under the monitor that guards the JDK's own context and terminal cache. The old
 * (dead) context is not released: the JDK has no call for it; it costs one socket per restart.
 */
final class ContextRecovery {
    /** How to reset the context. */
    enum Strategy {
        REFLECTION,
        UNSAFE,
        NONE
    }

    private static final String TERMINALS_CLASS = "sun.security.smartcardio.PCSCTerminals";
    private static final String PCSC_CLASS = "sun.security.smartcardio.PCSC";

    private ContextRecovery() {
    }

    /** The best strategy this JVM allows. */
    static Strategy available() {
        if (reflectionWorks()) {
            return Strategy.REFLECTION;
        }
        return unsafe().isPresent() ? Strategy.UNSAFE : Strategy.NONE;
    }

    private static boolean reflectionWorks() {
        try {
            Class<?> terminals = Class.forName(TERMINALS_CLASS);
            return terminals.getModule().isOpen("sun.security.smartcardio", ContextRecovery.class.getModule());
        } catch (ClassNotFoundException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Replaces the process's PC/SC context with a new one.
     *
     * @throws PcscServiceException if pcscd still does not answer, or no strategy works here
     */
    static void reestablish(Strategy strategy) {
        switch (strategy) {
            case REFLECTION -> byReflection();
            case UNSAFE -> byUnsafe();
            case NONE -> throw new PcscServiceException(
                    "the PC/SC context died with pcscd and this JVM cannot re-establish it: restart cardterm, or run it with "
                            + "--add-opens java.smartcardio/sun.security.smartcardio=ALL-UNNAMED");
        }
    }

    private static void byReflection() {
        try {
            Class<?> terminals = Class.forName(TERMINALS_CLASS);
            Class<?> pcsc = Class.forName(PCSC_CLASS);
            Field contextId = terminals.getDeclaredField("contextId");
            contextId.setAccessible(true);
            Field cache = terminals.getDeclaredField("terminals");
            cache.setAccessible(true);
            Method establish = pcsc.getDeclaredMethod("SCardEstablishContext", int.class);
            establish.setAccessible(true);
            synchronized (terminals) {
                long id;
                try {
                    id = (Long) establish.invoke(null, 0); // SCARD_SCOPE_USER
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw new PcscServiceException("pcscd does not answer: " + e.getCause().getMessage(), e.getCause());
                }
                contextId.setLong(null, id);
                ((Map<?, ?>) cache.get(null)).clear();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof PcscServiceException pse) {
                throw pse;
            }
            throw new PcscServiceException("cannot re-establish the PC/SC context: " + e, e);
        }
    }

    private static void byUnsafe() {
        Object unsafe = unsafe().orElseThrow(() -> new PcscServiceException("sun.misc.Unsafe is not available"));
        try {
            Class<?> terminals = Class.forName(TERMINALS_CLASS);
            Field contextId = terminals.getDeclaredField("contextId");
            Field cache = terminals.getDeclaredField("terminals");
            Class<?> u = unsafe.getClass();
            Method base = u.getMethod("staticFieldBase", Field.class);
            Method offset = u.getMethod("staticFieldOffset", Field.class);
            Method putLong = u.getMethod("putLongVolatile", Object.class, long.class, long.class);
            Method getObject = u.getMethod("getObjectVolatile", Object.class, long.class);
            synchronized (terminals) {
                Object b = base.invoke(unsafe, contextId);
                putLong.invoke(unsafe, b, (long) (Long) offset.invoke(unsafe, contextId), 0L);
                Object cb = base.invoke(unsafe, cache);
                Map<?, ?> map = (Map<?, ?>) getObject.invoke(unsafe, cb, (long) (Long) offset.invoke(unsafe, cache));
                map.clear();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new PcscServiceException("cannot reset the PC/SC context: " + e, e);
        }
        // the context is 0 now: a new factory establishes it (or fails if pcscd is still down)
    }

    private static Optional<Object> unsafe() {
        try {
            Class<?> u = Class.forName("sun.misc.Unsafe");
            Field f = u.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return Optional.of(f.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
