package cardterm.terminal.hub;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.internal.CommsCallback;
import org.eclipse.paho.client.mqttv3.internal.CommsReceiver;
import org.eclipse.paho.client.mqttv3.internal.CommsSender;

/**
 * The threads of a Paho client, one new thread per task as Paho makes them without an executor,
 * minus Paho's start-up naps. When Paho 1.2.5 connects, it starts its receiver, sender and callback
 * threads one after the other and, after each, polls {@code isRunning()} with {@code
 * Thread.sleep(100)} (and ignores the interrupt). The new thread cannot have run yet at the first
 * poll (the connecting thread holds the lock it needs), so each connect slept 3 x 100 ms before its
 * CONNECT went out: a third of a second of every start. Here, as soon as the started thread runs, a
 * waker interrupts that nap (only a nap in such a {@code start}); Paho's loop then sees it running
 * and goes on.
 *
 * <p>Paho uses {@code execute} and {@code submit} of this executor only (with {@link
 * org.eclipse.paho.client.mqttv3.TimerPingSender} for pings; its {@code schedule} methods are not
 * called and refuse). Paho 1.2.5 never shuts an executor down; this one owns no threads to shut down.
 * Cancelling a task's future does not interrupt its thread: Paho stops its threads by their state, as
 * without an executor.
 */
final class PahoThreads extends AbstractExecutorService implements ScheduledExecutorService {
    static final PahoThreads INSTANCE = new PahoThreads();
    private static final long WAKE_WITHIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private PahoThreads() {
    }

    /**
     * The pings of every session when service threads are virtual (a fleet): one shared
     * scheduler instead of a {@code java.util.Timer} thread per client; each session's pinger
     * cancels its own task when the session stops.
     */
    static java.util.concurrent.ScheduledExecutorService pings() {
        return Pings.SCHEDULER;
    }

    private static final class Pings {
        static final java.util.concurrent.ScheduledExecutorService SCHEDULER =
                cardterm.devices.concurrent.ServiceThreads.scheduler("mqtt-pings", 1);
    }

    /** A thread for one Paho task: a service thread (virtual in a fleet), as Paho would start one. */
    private static Thread thread(Runnable task) {
        return cardterm.devices.concurrent.ServiceThreads.named("paho").unstarted(task);
    }

    @Override
    public void execute(Runnable task) {
        thread(task).start();
    }

    @Override
    public Future<?> submit(Runnable task) {
        Thread starter = Thread.currentThread();
        FutureTask<Void> f = new FutureTask<>(task, null) {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return super.cancel(false);
            }
        };
        thread(f).start();
        if (task instanceof CommsReceiver || task instanceof CommsSender || task instanceof CommsCallback) {
            Thread waker = new Thread(() -> wake(starter, task), "paho-start-waker");
            waker.setDaemon(true);
            waker.start();
        }
        return f;
    }

    /** Interrupts {@code starter}'s nap in {@code task}'s {@code start} once the task runs. */
    private static void wake(Thread starter, Runnable task) {
        long until = System.nanoTime() + WAKE_WITHIN_NANOS;
        boolean running = false;
        while (System.nanoTime() < until) {
            running = running || isRunning(task);
            if (running && starter.getState() == Thread.State.TIMED_WAITING && nappingIn(starter, task)) {
                starter.interrupt();
                return;
            }
            if (running && !nappingOrStarting(starter, task)) {
                return; // it saw the task running itself, or went on
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static boolean isRunning(Runnable task) {
        return switch (task) {
            case CommsReceiver r -> r.isRunning();
            case CommsSender s -> s.isRunning();
            case CommsCallback c -> c.isRunning();
            default -> true;
        };
    }

    /** {@code starter} sleeps in {@code task}'s {@code start} (Thread.sleep on top, then that start). */
    private static boolean nappingIn(Thread starter, Runnable task) {
        StackTraceElement[] stack = starter.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
            StackTraceElement e = stack[i];
            if (e.getClassName().equals(task.getClass().getName())) {
                return e.getMethodName().equals("start");
            }
            if (!e.getClassName().startsWith("java.lang.Thread") && !e.getClassName().startsWith("jdk.internal.")) {
                return false;
            }
        }
        return false;
    }

    /** {@code starter} is still somewhere in {@code task}'s {@code start}. */
    private static boolean nappingOrStarting(Thread starter, Runnable task) {
        for (StackTraceElement e : starter.getStackTrace()) {
            if (e.getClassName().equals(task.getClass().getName()) && e.getMethodName().equals("start")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void shutdown() {
        // owns no threads: each task's thread ends with its task
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("Paho's pings run on its TimerPingSender");
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("Paho's pings run on its TimerPingSender");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("Paho's pings run on its TimerPingSender");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("Paho's pings run on its TimerPingSender");
    }
}
