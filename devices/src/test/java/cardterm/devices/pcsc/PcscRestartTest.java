package cardterm.devices.pcsc;

import cardterm.devices.testing.Pcscd;
import cardterm.devices.testing.VpcdSlot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pcscd really stopped and started again: the readers report OFFLINE/SERVICE_DOWN, then recover
 * by themselves (a new PC/SC context in the same process) and the card answers again. Once for
 * each recovery strategy.
 */
class PcscRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @BeforeAll
    static void pcscd() {
        Pcscd.ensureRunning();
    }

    @AfterAll
    static void leaveItRunning() {
        Pcscd.ensureRunning();
        PcscService.shared().useStrategy(ContextRecovery.available());
    }

    @Test
    void thisJvmCanRecoverByReflection() {
        assertThat(ContextRecovery.available()).isEqualTo(ContextRecovery.Strategy.REFLECTION);
    }

    @Test
    void recoversAfterAPcscdRestartByReflection() {
        restartAndRecover(ContextRecovery.Strategy.REFLECTION);
    }

    @Test
    void recoversAfterAPcscdRestartWithoutAddOpens() {
        restartAndRecover(ContextRecovery.Strategy.UNSAFE);
    }

    private void restartAndRecover(ContextRecovery.Strategy strategy) {
        PcscService.shared().useStrategy(strategy);
        try (VpcdSlot slot = VpcdSlot.cardSlot();
                PcscReader reader = PcscReader.of("reader.card", VpcdSlot.CARD_READER)) {
            List<DeviceHealth> seen = new CopyOnWriteArrayList<>();
            reader.addHealthListener((id, h) -> seen.add(h));
            slot.insert(new EchoCard());
            reader.start();
            await().atMost(WAIT).until(reader::isCardPresent);
            assertThat(reader.health().state()).isEqualTo(DeviceState.ONLINE);
            long generation = PcscService.shared().generation();

            Pcscd.stop();
            await().atMost(WAIT).until(() -> reader.health().reason() == HealthReason.SERVICE_DOWN);
            assertThat(reader.health().state()).isEqualTo(DeviceState.OFFLINE);
            assertThat(reader.isCardPresent()).isFalse();

            Pcscd.start();
            await().atMost(WAIT).until(() -> reader.health().reason() == HealthReason.OK && reader.isCardPresent());
            assertThat(PcscService.shared().generation()).isGreaterThan(generation);
            try (CardConnection c = reader.connect()) {
                assertThat(c.transmit(Apdu.fromHex("00A4040000")).sw()).isEqualTo(0x9000);
            }
            assertThat(seen).extracting(DeviceHealth::reason)
                    .containsSubsequence(HealthReason.OK, HealthReason.SERVICE_DOWN, HealthReason.OK);
        }
    }
}
