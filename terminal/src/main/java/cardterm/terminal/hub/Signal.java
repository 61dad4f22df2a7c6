package cardterm.terminal.hub;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A wake-up flag one thread waits on and any thread raises. Raising takes no lock: when the
 * flag is up already it is one read (Paho's callback thread raises it after every
 * acknowledgement while a drain runs), otherwise one swap and, if the waiter sleeps, an unpark.
 * Only one thread waits on it at a time (the hub link's).
 */
final class Signal {
    private final AtomicBoolean up = new AtomicBoolean();
    private volatile Thread waiter;

    void raise() {
        if (up.get() || up.getAndSet(true)) {
            return; // raised already and not yet taken
        }
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Waits until raised or {@code nanos} passed (or the thread is interrupted); clears the flag.
     * Returns whether it was raised.
     */
    boolean await(long nanos) {
        Thread me = Thread.currentThread();
        waiter = me; // before looking at the flag: a raise after the look sees the waiter and unparks it
        try {
            long deadline = System.nanoTime() + nanos;
            while (!up.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || me.isInterrupted()) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            return up.getAndSet(false);
        } finally {
            waiter = null;
        }
    }

    boolean await(long time, TimeUnit unit) {
        return await(unit.toNanos(time));
    }
}
