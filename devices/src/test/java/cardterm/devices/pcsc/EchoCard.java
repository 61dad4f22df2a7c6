package cardterm.devices.pcsc;

import cardterm.devices.chip.sim.VirtualCard;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** A trivial virtual card for reader-layer tests: answers 9000, echoes data, counts resets. */
final class EchoCard implements VirtualCard {
    static final byte[] ATR = {0x3B, (byte) 0x80, (byte) 0x80, 0x01, 0x01};
    final AtomicInteger resets = new AtomicInteger();
    final AtomicInteger commands = new AtomicInteger();

    @Override
    public byte[] atr() {
        return ATR.clone();
    }

    @Override
    public byte[] process(byte[] c) {
        commands.incrementAndGet();
        if (c.length > 5) {
            int lc = c[4] & 0xFF;
            byte[] r = Arrays.copyOfRange(c, 5, 5 + lc + 2);
            r[lc] = (byte) 0x90;
            r[lc + 1] = 0;
            return r;
        }
        return new byte[] {(byte) 0x90, 0x00};
    }

    @Override
    public void reset() {
        resets.incrementAndGet();
    }
}
