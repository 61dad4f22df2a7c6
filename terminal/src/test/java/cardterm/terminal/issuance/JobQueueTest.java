package cardterm.terminal.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobQueueTest {
    @Test
    void elderlyGoFirstOtherwiseFirstComeFirstServed() {
        JobQueue<String> q = new JobQueue<>(10);
        q.offer("j1", "j1", false);
        q.offer("j2", "j2", true);
        q.offer("j3", "j3", false);
        q.offer("j4", "j4", true);
        assertThat(q.inOrder()).containsExactly("j2", "j4", "j1", "j3");
        List<String> ran = new ArrayList<>();
        for (Optional<String> j = q.poll(); j.isPresent(); j = q.poll()) {
            ran.add(j.get());
        }
        assertThat(ran).containsExactly("j2", "j4", "j1", "j3");
    }

    @Test
    void refusesDuplicatesAndOverflowAndCancelsWaitingJobs() {
        JobQueue<String> q = new JobQueue<>(2);
        assertThat(q.offer("a", "a", false)).isEmpty();
        assertThat(q.offer("a", "a", true)).contains(JobQueue.Refusal.DUPLICATE);
        assertThat(q.offer("b", "b", true)).isEmpty();
        assertThat(q.offer("c", "c", false)).contains(JobQueue.Refusal.FULL);
        assertThat(q.cancel("b")).contains("b");
        assertThat(q.cancel("b")).isEmpty();
        assertThat(q.contains("a")).isTrue();
        assertThat(q.size()).isEqualTo(1);
    }
}
