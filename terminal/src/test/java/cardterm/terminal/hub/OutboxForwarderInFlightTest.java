package cardterm.terminal.hub;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.event.EventKind;
import cardterm.terminal.store.OutboxEntry;
import org.junit.jupiter.api.Test;

/** A kind's events in flight: each PUBACK moves the acknowledged mark over the prefix sent before it. */
class OutboxForwarderInFlightTest {
    static OutboxEntry entry(long seq) {
        return new OutboxEntry(seq, EventKind.DEVICE, new byte[] {'{', '}'});
    }

    @Test
    void inOrderAcknowledgementsMoveTheMarkOneByOne() {
        OutboxForwarder.InFlight f = new OutboxForwarder.InFlight();
        OutboxEntry a = entry(3);
        OutboxEntry b = entry(7);
        f.add(a);
        f.add(b);
        assertThat(f.acknowledged(a)).isEqualTo(3);
        assertThat(f.acknowledged(b)).isEqualTo(7);
    }

    @Test
    void anAcknowledgementOutOfOrderWaitsForThoseSentBeforeIt() {
        OutboxForwarder.InFlight f = new OutboxForwarder.InFlight();
        OutboxEntry a = entry(3);
        OutboxEntry b = entry(7);
        OutboxEntry c = entry(8);
        OutboxEntry d = entry(12);
        f.add(a);
        f.add(b);
        f.add(c);
        f.add(d);
        assertThat(f.acknowledged(c)).isZero(); // 3 and 7 not yet: the mark stays
        assertThat(f.acknowledged(b)).isZero();
        assertThat(f.acknowledged(a)).isEqualTo(8); // 3, then 7 and 8 acknowledged before
        assertThat(f.acknowledged(d)).isEqualTo(12);
    }

    @Test
    void aFailedPublishIsTakenBackAndAStrangerIsIgnored() {
        OutboxForwarder.InFlight f = new OutboxForwarder.InFlight();
        OutboxEntry a = entry(3);
        OutboxEntry failed = entry(4);
        f.add(a);
        f.add(failed);
        f.takeBack(failed);
        assertThat(f.acknowledged(entry(3))).isZero(); // the same seq read again: not the one sent
        assertThat(f.acknowledged(failed)).isZero();
        assertThat(f.acknowledged(a)).isEqualTo(3);
        assertThat(f.acknowledged(a)).isZero(); // acknowledged twice: nothing more
    }
}
