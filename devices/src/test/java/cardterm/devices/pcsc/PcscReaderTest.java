package cardterm.devices.pcsc;

import cardterm.devices.testing.Pcscd;
import cardterm.devices.testing.VpcdSlot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reader layer on the real pcscd with a virtual card on vpcd. */
class PcscReaderTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final VpcdSlot slot = VpcdSlot.cardSlot();
    private PcscReader reader;

    @BeforeAll
    static void pcscd() {
        Pcscd.ensureRunning();
    }

    @BeforeEach
    void open() {
        reader = PcscReader.of("reader.card", "/Virtual PCD 00 00/");
    }

    @AfterEach
    void close() {
        reader.close();
        slot.removeAndWait();
    }

    @Test
    void reportsOnlineAndTellsOfCardArrivalAndRemoval() {
        List<Boolean> events = new CopyOnWriteArrayList<>();
        reader.addCardListener((id, present) -> events.add(present));
        reader.start();
        await().atMost(WAIT).until(() -> reader.health().reason() == HealthReason.OK);
        assertThat(reader.health().message()).isEqualTo(VpcdSlot.CARD_READER);
        assertThat(reader.readerName()).contains(VpcdSlot.CARD_READER);

        slot.insert(new EchoCard());
        await().atMost(WAIT).until(() -> events.equals(List.of(true)));
        assertThat(reader.isCardPresent()).isTrue();

        slot.remove();
        await().atMost(WAIT).until(() -> events.equals(List.of(true, false)));
        assertThat(reader.isCardPresent()).isFalse();
    }

    @Test
    void exchangesApdusAndTracesHeadersNeverData() {
        EchoCard card = new EchoCard();
        slot.insertAndWait(card);
        try (LogCapture log = new LogCapture("cardterm.devices.pcsc.apdu")) {
            try (CardConnection c = reader.connect()) {
                assertThat(c.atr()).isEqualTo(EchoCard.ATR);
                assertThat(c.protocol()).isIn("T=0", "T=1");
                ApduResponse r = c.transmit(Apdu.fromHex("00DC0104083331303130323139"));
                assertThat(r.sw()).isEqualTo(0x9000);
                assertThat(Apdu.hex(r.data())).isEqualTo("3331303130323139");
            }
            assertThat(log.lines()).containsExactly("reader.card >> 00 DC 01 04 Lc=8", "reader.card << SW=9000 len=8");
        }
        await().atMost(WAIT).until(() -> card.resets.get() >= 1); // closing resets the card
    }

    @Test
    void aCardPulledDuringAJobIsCardRemoved() {
        slot.insertAndWait(new EchoCard());
        try (CardConnection c = reader.connect()) {
            assertThat(c.transmit(Apdu.fromHex("00A4040000")).isOk()).isTrue();
            slot.remove();
            assertThatThrownBy(() -> c.transceive(Apdu.fromHex("00A4040000")))
                    .isInstanceOf(CardRemovedException.class)
                    .hasMessageContaining(VpcdSlot.CARD_READER);
        }
    }

    @Test
    void anEmptyReaderIsNoCard() {
        assertThatThrownBy(reader::connect).isInstanceOf(NoCardException.class);
        assertThat(reader.health().reason()).isEqualTo(HealthReason.OK);
    }

    @Test
    void aMissingReaderIsGoneAndNamesTheReadersThatExist() {
        try (PcscReader missing = PcscReader.of("reader.sam", "ACME Encoder 99")) {
            assertThatThrownBy(missing::connect)
                    .isInstanceOfSatisfying(ReaderUnavailableException.class, e -> {
                        assertThat(e.wanted()).contains("ACME Encoder 99");
                        assertThat(e.available()).contains(VpcdSlot.CARD_READER, VpcdSlot.SAM_READER);
                    });
            assertThat(missing.health().state()).isEqualTo(DeviceState.OFFLINE);
            assertThat(missing.health().reason()).isEqualTo(HealthReason.GONE);
            assertThat(missing.health().message()).contains(VpcdSlot.SAM_READER);
        }
    }

    @Test
    void exclusiveAccessKeepsASecondConnectionOut() {
        slot.insertAndWait(new EchoCard());
        try (CardConnection c = reader.connect()) {
            Thread other = new Thread(() -> assertThatThrownBy(reader::connect).isInstanceOf(SmartCardException.class)
                    .hasMessageContaining("held by another"));
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            other.setUncaughtExceptionHandler((t, e) -> failures.add(e));
            other.start();
            await().atMost(WAIT).until(() -> !other.isAlive());
            assertThat(failures).isEmpty();
            assertThat(c.transmit(Apdu.fromHex("00A4040000")).isOk()).isTrue();
        }
    }
}
