package cardterm.devices.chip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.pcsc.Apdu;
import org.junit.jupiter.api.Test;

/** Known answers computed with {@code openssl enc -des-ede-ecb -nopad}. */
class IssuerCryptoTest {
    @Test
    void diversifiesTheTestMasterKeyPbocStyle() {
        byte[] key = IssuerCrypto.diversify(IssuerCrypto.TEST_MASTER_KEY, Apdu.fromHex("0000000000000001"));
        assertThat(Apdu.hex(key)).isEqualTo("57D7CCED200FA72A1271D59653DE6E13");
    }

    @Test
    void cryptogramIs3desOfTheChallenge() {
        byte[] key = Apdu.fromHex("57D7CCED200FA72A1271D59653DE6E13");
        assertThat(Apdu.hex(IssuerCrypto.cryptogram(key, Apdu.fromHex("1122334455667788")))).isEqualTo("AF6C10A068DC9E48");
    }
}
