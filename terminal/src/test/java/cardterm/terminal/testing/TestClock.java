package cardterm.terminal.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A clock tests drive by hand: it stands still until told to move. Thread-safe. */
public final class TestClock extends Clock {
    private volatile Instant now;
    private final ZoneId zone;

    public TestClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    /** 2026-11-26T10:15:30+08:00 in Asia/Shanghai. */
    public static TestClock shanghai() {
        return new TestClock(Instant.parse("2026-11-26T02:15:30Z"), ZoneId.of("Asia/Shanghai"));
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        TestClock c = new TestClock(now, z);
        return c;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
