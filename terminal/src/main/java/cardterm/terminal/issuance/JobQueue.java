package cardterm.terminal.issuance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs waiting at one terminal: those of elderly citizens first (domain.md, 为老服务), otherwise
 * first come first served. Bounded. Not thread-safe: the issuance service owns it under its lock.
 *
 * @param <J> the job
 */
public final class JobQueue<J> {
    private final int capacity;
    private final Map<String, J> elderly = new LinkedHashMap<>();
    private final Map<String, J> others = new LinkedHashMap<>();

    public JobQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /** Why a job was not queued. */
    public enum Refusal { FULL, DUPLICATE }

    /** Queues a job; empty when queued, else why not. */
    public Optional<Refusal> offer(String jobId, J job, boolean isElderly) {
        if (elderly.containsKey(jobId) || others.containsKey(jobId)) {
            return Optional.of(Refusal.DUPLICATE);
        }
        if (size() >= capacity) {
            return Optional.of(Refusal.FULL);
        }
        (isElderly ? elderly : others).put(jobId, job);
        return Optional.empty();
    }

    /** Takes the next job to run, if any. */
    public Optional<J> poll() {
        Map<String, J> from = !elderly.isEmpty() ? elderly : others;
        Iterator<J> it = from.values().iterator();
        if (!it.hasNext()) {
            return Optional.empty();
        }
        J j = it.next();
        it.remove();
        return Optional.of(j);
    }

    /** Removes a waiting job; the job if it was waiting. */
    public Optional<J> cancel(String jobId) {
        J j = elderly.remove(jobId);
        if (j == null) {
            j = others.remove(jobId);
        }
        return Optional.ofNullable(j);
    }

    public boolean contains(String jobId) {
        return elderly.containsKey(jobId) || others.containsKey(jobId);
    }

    public int size() {
        return elderly.size() + others.size();
    }

    /** Waiting jobs in the order they will run. */
    public List<J> inOrder() {
        List<J> l = new ArrayList<>(elderly.values());
        l.addAll(others.values());
        return l;
    }
}
