package cardterm.devices.pcsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 61xx / 6Cxx handling, read as protocol traces against a scripted card. */
class GetResponseChannelTest {

    /** Answers from a script and records what it was sent. */
    static final class Script implements ApduChannel {
        final Deque<String> answers = new ArrayDeque<>();
        final List<String> sent = new ArrayList<>();

        Script answer(String... hex) {
            answers.addAll(List.of(hex));
            return this;
        }

        @Override
        public byte[] transceive(byte[] command) {
            sent.add(Apdu.hex(command));
            return Apdu.fromHex(answers.isEmpty() ? "6F00" : answers.removeFirst());
        }

        @Override
        public void close() {
        }
    }

    @Test
    void passesPlainAnswersThrough() {
        Script card = new Script().answer("01029000");
        assertThat(new GetResponseChannel(card).transmit(Apdu.fromHex("00B2010400")).data()).containsExactly(1, 2);
        assertThat(card.sent).containsExactly("00B2010400");
    }

    @Test
    void getsTheRestOfTheResponseAfter61xxWithCla00() {
        Script card = new Script().answer("6104", "AABB6102", "CCDD9000");
        ApduResponse r = new GetResponseChannel(card).transmit(Apdu.fromHex("80FA0000080102030405060708"));
        assertThat(card.sent).containsExactly("80FA0000080102030405060708", "00C0000004", "00C0000002");
        assertThat(Apdu.hex(r.bytes())).isEqualTo("AABBCCDD9000");
    }

    @Test
    void repeatsWithTheLeThe6CxxAsksFor() {
        Script card = new Script().answer("6C12", "00" .repeat(18) + "9000");
        ApduResponse r = new GetResponseChannel(card).transmit(Apdu.fromHex("00B2010400"));
        assertThat(card.sent).containsExactly("00B2010400", "00B2010412");
        assertThat(r.dataLength()).isEqualTo(18);
    }

    @Test
    void addsAnLeToACase3CommandAndReplacesItInCase4() {
        assertThat(Apdu.hex(GetResponseChannel.withLe(Apdu.fromHex("00A4040002EF05"), 0x10))).isEqualTo("00A4040002EF0510");
        assertThat(Apdu.hex(GetResponseChannel.withLe(Apdu.fromHex("00A4040002EF0500"), 0x10))).isEqualTo("00A4040002EF0510");
        assertThat(Apdu.hex(GetResponseChannel.withLe(Apdu.fromHex("00840000"), 8))).isEqualTo("0084000008");
    }

    @Test
    void givesUpAfterTheCapInsteadOfLoopingForever() {
        Script card = new Script();
        for (int i = 0; i < 100; i++) {
            card.answer("6101");
        }
        assertThatThrownBy(() -> new GetResponseChannel(card).transceive(Apdu.fromHex("00B2010400")))
                .isInstanceOf(CardProtocolException.class);
        assertThat(card.sent).hasSize(GetResponseChannel.MAX_ROUNDS);
    }

    @Test
    void refusesAResponseWithoutStatusWord() {
        Script card = new Script().answer("90");
        assertThatThrownBy(() -> new GetResponseChannel(card).transceive(Apdu.fromHex("00B2010400")))
                .isInstanceOf(CardProtocolException.class);
    }

    @Test
    void anUnexpectedStatusWordIsATypedErrorCarryingIt() {
        ApduResponse r = new ApduResponse(Apdu.fromHex("6A82"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.requireOk("SELECT EF05"))
                .isInstanceOfSatisfying(StatusWordException.class, e -> {
                    assertThat(e.sw()).isEqualTo(0x6A82);
                    assertThat(e.sw1()).isEqualTo(0x6A);
                    assertThat(e.command()).isEqualTo("SELECT EF05");
                })
                .hasMessage("SELECT EF05 answered SW 6A82");
        assertThat(new ApduResponse(Apdu.fromHex("9000")).requireOk("x").isOk()).isTrue();
    }

    @Test
    void describesCommandsWithoutTheirData() {
        assertThat(Apdu.describe(Apdu.fromHex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF"))).isEqualTo("00 A4 04 00 Lc=15");
        assertThat(Apdu.describe(Apdu.fromHex("00B2070400"))).isEqualTo("00 B2 07 04 Le=00");
        assertThat(Apdu.describe(Apdu.fromHex("00DC01040814063333303330"))).doesNotContain("3333").startsWith("00 DC 01 04 Lc=8");
    }
}
