package cardterm.terminal.event;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Makes UUIDs of version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort
 * roughly by time and are unique across terminals.
 */
public final class UuidV7 {
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public UuidV7(Clock clock) {
        this.clock = clock;
    }

    public UUID next() {
        long ms = clock.millis() & 0xFFFF_FFFF_FFFFL;
        long randA = random.nextInt() & 0x0FFF;
        long msb = (ms << 16) | (0x7L << 12) | randA;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
