package cardterm.terminal.diagnose;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A list of named checks run one after the other, each bounded in time: a check that throws or
 * does not finish in time is a failure with a hint, never an exception of the whole test. Every
 * check runs, whatever the others found (one report lists every failure).
 */
public final class SelfTest {
    /** One check; returns its result (its name is filled in by the self-test). */
    @FunctionalInterface
    public interface Check {
        CheckResult run() throws Exception;
    }

    private record Named(String name, Check check, String timeoutHint) {}

    private final List<Named> checks = new ArrayList<>();
    private final Duration perCheck;

    public SelfTest(Duration perCheck) {
        this.perCheck = Objects.requireNonNull(perCheck);
    }

    /** Adds a check; {@code timeoutHint} is the hint when it does not finish in time. */
    public SelfTest add(String name, String timeoutHint, Check check) {
        checks.add(new Named(name, check, timeoutHint));
        return this;
    }

    public List<String> names() {
        return checks.stream().map(Named::name).toList();
    }

    public SelfTestReport run() {
        List<CheckResult> out = new ArrayList<>();
        for (Named n : checks) {
            out.add(runOne(n));
        }
        return new SelfTestReport(out);
    }

    private CheckResult runOne(Named n) {
        CompletableFuture<CheckResult> f = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().name("selftest-" + n.name()).start(() -> {
            try {
                f.complete(n.check().run());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            CheckResult r = f.get(perCheck.toMillis(), TimeUnit.MILLISECONDS);
            return new CheckResult(n.name(), r.passed(), r.detail(), r.hint());
        } catch (TimeoutException e) {
            t.interrupt();
            return CheckResult.fail(n.name(), "no answer within " + perCheck.toSeconds() + " s", n.timeoutHint());
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return CheckResult.fail(n.name(), c.getClass().getSimpleName()
                    + (c.getMessage() == null ? "" : ": " + c.getMessage()), n.timeoutHint());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail(n.name(), "interrupted", "run the self-test again");
        }
    }
}
