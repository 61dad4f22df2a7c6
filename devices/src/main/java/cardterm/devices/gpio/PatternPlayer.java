package cardterm.devices.gpio;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays an {@link OnOffPattern} on an output: the first step is written at once on the caller's
 * thread, each later step by one task on the injected scheduler. A new pattern cuts the old one
 * short. Never blocks; one pending task at most.
 */
final class PatternPlayer {
    private final Consumer<Boolean> output;
    private final ScheduledExecutorService scheduler;

    private OnOffPattern current = OnOffPattern.steady(false);
    private long generation;
    private ScheduledFuture<?> pending;
    private boolean closed;

    /**
     * @param output    writes the output on ({@code true}) or off; handles its own failures
     * @param scheduler runs the later steps
     */
    PatternPlayer(Consumer<Boolean> output, ScheduledExecutorService scheduler) {
        this.output = Objects.requireNonNull(output, "output");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    synchronized void play(OnOffPattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (closed) {
            return;
        }
        generation++;
        cancelPending();
        current = pattern;
        step(generation, 0);
    }

    /** Stops playing and leaves the output off. */
    synchronized void stop() {
        generation++;
        cancelPending();
        current = OnOffPattern.steady(false);
        output.accept(false);
        closed = true;
    }

    private synchronized void step(long gen, int index) {
        if (gen != generation || closed) {
            return;
        }
        pending = null;
        List<OnOffPattern.Step> steps = current.steps();
        int i = index;
        if (i >= steps.size()) {
            if (!current.repeat()) {
                output.accept(current.restOn());
                return;
            }
            i = 0;
        }
        OnOffPattern.Step s = steps.get(i);
        output.accept(s.on());
        int next = i + 1;
        try {
            pending = scheduler.schedule(() -> step(gen, next), s.duration().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The scheduler is shutting down with the terminal: the output keeps its last level.
            pending = null;
        }
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
