package cardterm.devices.concurrent;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of a terminal's long-running parts (link loops, pollers, workers, schedulers). A
 * terminal on its own uses named daemon platform threads. Many terminals in one JVM (the fleet
 * simulator, thousands of them) set {@value #PROPERTY}{@code =virtual} before they start, and
 * every such thread becomes a virtual thread: a blocked one then holds no stack or memory map of
 * its own, so two thousand terminals of about fifteen threads each fit one process.
 */
public final class ServiceThreads {
    /** The system property that chooses the kind: {@code platform} (default) or {@code virtual}. */
    public static final String PROPERTY = "cardterm.threads";

    private ServiceThreads() {
    }

    /** Whether this JVM's service threads are virtual. */
    public static boolean virtual() {
        return "virtual".equals(System.getProperty(PROPERTY));
    }

    /** A builder for a service thread named {@code name}: a daemon platform thread, or a virtual one. */
    public static Thread.Builder named(String name) {
        return virtual() ? Thread.ofVirtual().name(name) : Thread.ofPlatform().daemon().name(name);
    }

    /** Starts {@code task} on a new service thread named {@code name}. */
    public static Thread start(String name, Runnable task) {
        return named(name).start(task);
    }

    /** A thread factory whose threads are named {@code prefix}, or {@code prefix-N} when {@code numbered}. */
    public static ThreadFactory factory(String prefix, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> named(numbered ? prefix + "-" + n.incrementAndGet() : prefix).unstarted(r);
    }

    /** A scheduler of {@code threads} service threads named {@code prefix-N}. */
    public static ScheduledExecutorService scheduler(String prefix, int threads) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(threads, factory(prefix, threads > 1));
        s.setRemoveOnCancelPolicy(true);
        return s;
    }
}
