package cardterm.terminal.hub;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A wake-up flag one thread waits on and any thread raises; raising never blocks for long. */
final class Signal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition raised = lock.newCondition();
    private volatile boolean up;

    void raise() {
        if (up) {
            return; // raised already and not yet taken: nothing to add (cheap when called often)
        }
        lock.lock();
        try {
            up = true;
            raised.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until raised or {@code nanos} passed; clears the flag. Returns whether it was raised. */
    boolean await(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (!up && left > 0) {
                left = raised.awaitNanos(left);
            }
            boolean was = up;
            up = false;
            return was;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    boolean await(long time, TimeUnit unit) {
        return await(unit.toNanos(time));
    }
}
