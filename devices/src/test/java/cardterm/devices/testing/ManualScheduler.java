package cardterm.devices.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ScheduledExecutorService} driven by a {@link ManualClock}: tasks run only inside
 * {@link #advance}, on the test's thread, in time order, with the clock set to each task's time.
 * Deterministic timers without sleeping.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private static final int MAX_TASKS_PER_ADVANCE = 1_000_000;

    private final ManualClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private boolean shutdown;

    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    public ManualClock clock() {
        return clock;
    }

    /** Moves time forward by {@code d}, running every task that falls due, in order. */
    public void advance(Duration d) {
        Instant target = clock.instant().plus(d);
        for (int n = 0; ; n++) {
            if (n > MAX_TASKS_PER_ADVANCE) {
                throw new IllegalStateException("more than " + MAX_TASKS_PER_ADVANCE + " tasks in one advance");
            }
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(target)) {
                    break;
                }
                queue.poll();
            }
            if (next.at.isAfter(clock.instant())) {
                clock.set(next.at);
            }
            next.run();
        }
        clock.set(target);
    }

    /** Runs what is due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Tasks waiting (not cancelled). */
    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    private synchronized <V> Task<V> add(Callable<V> body, long delay, TimeUnit unit, long periodNanos) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        Task<V> t = new Task<>(body, clock.instant().plusNanos(Math.max(0, unit.toNanos(delay))), periodNanos);
        queue.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(() -> {
            command.run();
            return null;
        }, delay, unit, 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(callable, delay, unit, 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(() -> {
            command.run();
            return null;
        }, initialDelay, unit, unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final Callable<V> body;
        private final long order = seq.incrementAndGet();
        private final long periodNanos;
        private Instant at;
        private volatile boolean cancelled;
        private volatile boolean done;
        private V result;
        private Throwable failure;

        Task(Callable<V> body, Instant at, long periodNanos) {
            this.body = body;
            this.at = at;
            this.periodNanos = periodNanos;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            try {
                result = body.call();
            } catch (Throwable t) {
                failure = t;
                done = true;
                throw new IllegalStateException("scheduled task failed", t);
            }
            if (periodNanos > 0 && !cancelled) {
                synchronized (ManualScheduler.this) {
                    at = at.plusNanos(periodNanos);
                    queue.add(this);
                }
            } else {
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), at).toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> other = (Task<?>) o;
            int c = at.compareTo(other.at);
            return c != 0 ? c : Long.compare(order, other.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            synchronized (ManualScheduler.this) {
                queue.remove(this);
            }
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public V get() throws ExecutionException {
            if (cancelled) {
                throw new CancellationException();
            }
            if (!done) {
                throw new IllegalStateException("not run yet: advance the scheduler");
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return result;
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws ExecutionException {
            return get();
        }
    }
}
