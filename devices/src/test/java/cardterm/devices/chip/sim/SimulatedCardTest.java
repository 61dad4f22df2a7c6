package cardterm.devices.chip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.chip.ChipProfile;
import cardterm.devices.pcsc.Apdu;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The simulated card's rules, as protocol traces: command in, status word out. */
class SimulatedCardTest {
    private static final byte[] ID_CODE = Apdu.fromHex("33030000002026010000000000000001");
    private static final String SSSE = "00A404000F7378312E73682EC9E7BBE1B1A3D5CF";
    private static final String TRANSIT = "00A4040008A000000632010105";
    private static final String EF05 = "00A4020002EF05";
    private static final String UPDATE_5 = "00DC0504060504" + "20261126";

    private final SimulatedCard card = new SimulatedCard(ID_CODE, CardFaults.none(), IssuerCrypto.TEST_MASTER_KEY,
            new Random(7));
    private final SimulatedSam sam = SimulatedSam.withTestKey();

    private String send(VirtualCard c, String hex) {
        return Apdu.hex(c.process(Apdu.fromHex(hex)));
    }

    private String sw(VirtualCard c, String hex) {
        String r = send(c, hex);
        return r.substring(r.length() - 4);
    }

    /** GET CHALLENGE, cryptogram from the SAM, EXTERNAL AUTHENTICATE; returns its SW. */
    private String authenticate(SimulatedSam s) {
        String r = send(card, "0084000008");
        assertThat(r).endsWith("9000").hasSize(20);
        assertThat(sw(s, "801A390108" + "0000000000000001")).isEqualTo("9000");
        String c = send(s, "80FA000008" + r.substring(0, 16));
        return sw(card, "0082000108" + c.substring(0, 16));
    }

    @Test
    void blankCardHasTheFactoryRecordsAndNoCardNumber() {
        assertThat(sw(card, SSSE)).isEqualTo("9000");
        assertThat(sw(card, EF05)).isEqualTo("9000");
        assertThat(send(card, "00B2010400")).isEqualTo("0110" + Apdu.hex(ID_CODE) + "9000");
        assertThat(send(card, "00B2030400")).isEqualTo("0304" + "332E3030" + "9000");
        assertThat(sw(card, "00B2070400")).isEqualTo("6A83");
    }

    @Test
    void writesNeedExternalAuthenticationOfTheSelectedApplication() {
        send(card, SSSE);
        send(card, EF05);
        assertThat(sw(card, UPDATE_5)).isEqualTo("6982");
        assertThat(authenticate(sam)).isEqualTo("9000");
        send(card, EF05); // SELECT by file id keeps the security state
        assertThat(sw(card, UPDATE_5)).isEqualTo("9000");
        assertThat(send(card, "00B2050400")).isEqualTo("050420261126" + "9000");
        send(card, SSSE); // SELECT by name drops it
        send(card, EF05);
        assertThat(sw(card, "00DC0604060604" + "20361126")).isEqualTo("6982");
    }

    @Test
    void aFailingSelectByNameDropsTheSecurityStateToo() {
        send(card, SSSE);
        assertThat(authenticate(sam)).isEqualTo("9000");
        assertThat(sw(card, "00A4040003010203")).isEqualTo("6A82");
        send(card, SSSE);
        send(card, EF05);
        assertThat(sw(card, UPDATE_5)).isEqualTo("6982");
    }

    @Test
    void factoryRecordsLengthsAndTagsAreEnforced() {
        send(card, SSSE);
        assertThat(authenticate(sam)).isEqualTo("9000");
        send(card, EF05);
        assertThat(sw(card, "00DC010412" + "0110" + "00".repeat(16))).isEqualTo("6982");
        assertThat(sw(card, "00DC0504050503202611")).isEqualTo("6700");
        assertThat(sw(card, "00DC0504060604" + "20261126")).isEqualTo("6A80");
        assertThat(sw(card, "00DC0504070505" + "2026112600")).isEqualTo("6700");
    }

    @Test
    void aChallengeServesOneAuthenticationAndASelectByNameDropsIt() {
        send(card, SSSE);
        assertThat(sw(card, "0082000108" + "00".repeat(8))).isEqualTo("6985");
        send(card, "0084000008");
        send(card, SSSE);
        assertThat(sw(card, "0082000108" + "00".repeat(8))).isEqualTo("6985");
        assertThat(card.triesLeft()).isEqualTo(SimulatedCard.MAX_TRIES);
    }

    @Test
    void wrongCryptogramsCountDownThenTheKeyIsBlocked() {
        SimulatedSam wrong = SimulatedSam.withWrongKey();
        send(card, SSSE);
        assertThat(authenticate(wrong)).isEqualTo("63C2");
        assertThat(authenticate(sam)).isEqualTo("9000"); // a correct one resets the counter
        assertThat(card.triesLeft()).isEqualTo(3);
        assertThat(authenticate(wrong)).isEqualTo("63C2");
        assertThat(authenticate(wrong)).isEqualTo("63C1");
        assertThat(authenticate(wrong)).isEqualTo("63C0");
        assertThat(authenticate(sam)).isEqualTo("6983");
    }

    @Test
    void samRefusesTheCryptogramBeforeItsKeyIsInitialised() {
        assertThat(sw(sam, "80FA000008" + "00".repeat(8))).isEqualTo("6985");
        assertThat(sw(sam, "00FA000008" + "00".repeat(8))).isEqualTo("6E00");
    }

    @Test
    void withoutTransitApplicationItsSelectAnswers6A82() {
        SimulatedCard noTransit = new SimulatedCard(ID_CODE, CardFaults.none().withoutTransitApp());
        assertThat(sw(noTransit, TRANSIT)).isEqualTo("6A82");
        assertThat(sw(card, TRANSIT)).isEqualTo("9000");
        assertThat(sw(card, "00A4020002EF15")).isEqualTo("9000");
        assertThat(sw(card, EF05)).isEqualTo("6A82"); // EF05 is not in the transit application
    }

    @Test
    void t0BehaviourAnswers6CxxToLe00And61xxToAnExactLe() {
        SimulatedCard t0 = new SimulatedCard(ID_CODE, CardFaults.none().withT0());
        send(t0, SSSE);
        send(t0, EF05);
        assertThat(send(t0, "00B2010400")).isEqualTo("6C12");
        assertThat(send(t0, "00B2010412")).isEqualTo("6112");
        assertThat(send(t0, "00C0000012")).isEqualTo("0110" + Apdu.hex(ID_CODE) + "9000");
        assertThat(send(t0, "0084000008")).isEqualTo("6108");
        assertThat(send(t0, "00C0000008")).hasSize(20).endsWith("9000");
    }

    @Test
    void faultsFailOrPullTheNthWrite() {
        SimulatedCard failing = new SimulatedCard(ID_CODE, CardFaults.none().withFailedWrite(2));
        failing.process(Apdu.fromHex(SSSE));
        failing.process(Apdu.fromHex(EF05));
        assertThat(Apdu.hex(failing.process(Apdu.fromHex(UPDATE_5)))).isEqualTo("6982"); // 1st: not authenticated
        assertThat(Apdu.hex(failing.process(Apdu.fromHex(UPDATE_5)))).isEqualTo("6581"); // 2nd: memory failure
        SimulatedCard pulled = new SimulatedCard(ID_CODE, CardFaults.none().withRemovalOnWrite(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pulled.process(Apdu.fromHex(UPDATE_5)))
                .isInstanceOf(VirtualCard.CardPulledSignal.class);
        assertThat(ChipProfile.ChipFile.EF05.recordLength(7)).isEqualTo(9);
    }
}
