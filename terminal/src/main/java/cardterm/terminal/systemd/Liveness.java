package cardterm.terminal.systemd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Whether the terminal's core loops are alive: each loop either beats a {@link Beat} it was given
 * or is read through a supplier of its last beat; a loop silent for longer than it is allowed is
 * hung. Times are from a monotonic nanosecond source ({@link System#nanoTime()} in service), never
 * the wall clock, so a clock step cannot make a loop look hung. Pure: no threads.
 */
public final class Liveness {
    private final LongSupplier nanoTime;
    private final List<Loop> loops = new CopyOnWriteArrayList<>();

    /** A hung loop: its name and how long it has been silent. */
    public record Hung(String loop, Duration silentFor, Duration allowed) {
        @Override
        public String toString() {
            return loop + " silent for " + silentFor.toSeconds() + " s (allowed " + allowed.toSeconds() + " s)";
        }
    }

    /** What a loop calls on every turn. */
    public static final class Beat {
        private final LongSupplier nanoTime;
        private volatile long last;

        private Beat(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            this.last = nanoTime.getAsLong();
        }

        public void beat() {
            last = nanoTime.getAsLong();
        }

        long last() {
            return last;
        }
    }

    private record Loop(String name, Duration allowed, LongSupplier lastBeat) {}

    public Liveness() {
        this(System::nanoTime);
    }

    public Liveness(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime);
    }

    /** A loop that will call {@link Beat#beat()} at least every {@code allowedSilence}. */
    public Beat register(String loop, Duration allowedSilence) {
        Beat b = new Beat(nanoTime);
        watch(loop, allowedSilence, b::last);
        return b;
    }

    /** A loop that keeps its own last beat ({@code lastBeatNanos}, same time source as this). */
    public void watch(String loop, Duration allowedSilence, LongSupplier lastBeatNanos) {
        if (allowedSilence.isNegative() || allowedSilence.isZero()) {
            throw new IllegalArgumentException("allowed silence of " + loop + " must be positive");
        }
        loops.add(new Loop(Objects.requireNonNull(loop), allowedSilence, Objects.requireNonNull(lastBeatNanos)));
    }

    /** The names of the loops watched. */
    public List<String> loops() {
        return loops.stream().map(Loop::name).toList();
    }

    /** The loops silent longer than allowed, now; empty when all are alive. */
    public List<Hung> hung() {
        long now = nanoTime.getAsLong();
        List<Hung> out = new ArrayList<>();
        for (Loop l : loops) {
            long silent = now - l.lastBeat().getAsLong();
            if (silent > l.allowed().toNanos()) {
                out.add(new Hung(l.name(), Duration.ofNanos(silent), l.allowed()));
            }
        }
        return out;
    }
}
