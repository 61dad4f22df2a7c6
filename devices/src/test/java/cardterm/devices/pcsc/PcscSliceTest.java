package cardterm.devices.pcsc;

import cardterm.devices.testing.Pcscd;
import cardterm.devices.testing.VpcdSlot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import javax.smartcardio.Card;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import javax.smartcardio.TerminalFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foundation slice: plain javax.smartcardio against the real pcscd lists the vpcd readers and
 * sees a virtual card arrive, answer, and leave.
 */
class PcscSliceTest {
    private final VpcdSlot slot = VpcdSlot.cardSlot();

    @BeforeAll
    static void pcscd() {
        Pcscd.ensureRunning();
        PcscLibrary.configure();
    }

    @AfterEach
    void pull() {
        slot.close();
    }

    @Test
    void listsReadersAndSeesACardArriveAndLeave() throws Exception {
        CardTerminals terminals = TerminalFactory.getInstance("PC/SC", null).terminals();
        assertThat(terminals.list()).extracting(CardTerminal::getName)
                .contains(VpcdSlot.CARD_READER, VpcdSlot.SAM_READER);
        CardTerminal reader = terminals.getTerminal(VpcdSlot.CARD_READER);
        assertThat(reader.isCardPresent()).isFalse();

        slot.insert(new EchoCard());
        assertThat(reader.waitForCardPresent(5_000)).as("card seen within 5 s").isTrue();

        Card card = reader.connect("*");
        assertThat(card.getATR().getBytes()).isEqualTo(EchoCard.ATR);
        ResponseAPDU r = card.getBasicChannel().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, new byte[] {1, 2, 3}));
        assertThat(r.getSW()).isEqualTo(0x9000);
        assertThat(r.getData()).containsExactly(1, 2, 3);
        card.disconnect(false);

        slot.remove();
        assertThat(reader.waitForCardAbsent(5_000)).as("card gone within 5 s").isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> !reader.isCardPresent());
    }
}
