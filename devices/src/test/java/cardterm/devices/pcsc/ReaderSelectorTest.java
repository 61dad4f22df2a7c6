package cardterm.devices.pcsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReaderSelectorTest {
    private static final List<String> READERS = List.of("Virtual PCD 00 00", "Virtual PCD 00 01", "HID OMNIKEY 3121 00 00");

    @Test
    void exactNameMatchesOnlyThatReader() {
        assertThat(ReaderSelector.of("Virtual PCD 00 01").pick(READERS)).contains("Virtual PCD 00 01");
        assertThat(ReaderSelector.of("Virtual PCD").pick(READERS)).isEmpty();
    }

    @Test
    void patternBetweenSlashesIsFoundAnywhereFirstListedWins() {
        assertThat(ReaderSelector.of("/OMNIKEY/").pick(READERS)).contains("HID OMNIKEY 3121 00 00");
        assertThat(ReaderSelector.of("/Virtual PCD 00 0[01]/").pick(READERS)).contains("Virtual PCD 00 00");
        assertThat(ReaderSelector.of("/^ACS/").pick(READERS)).isEmpty();
    }

    @Test
    void refusesEmptyNamesAndBadPatterns() {
        assertThatThrownBy(() -> ReaderSelector.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReaderSelector.of("/[/")).hasMessageContaining("not a valid regular expression");
    }

    @Test
    void findsLibpcscliteInTheDebianMultiarchDirectoryFirst() {
        assertThat(PcscLibrary.candidates("amd64").get(0)).isEqualTo(Path.of("/usr/lib/x86_64-linux-gnu/libpcsclite.so.1"));
        assertThat(PcscLibrary.candidates("aarch64").get(0)).isEqualTo(Path.of("/usr/lib/aarch64-linux-gnu/libpcsclite.so.1"));
        assertThat(PcscLibrary.candidates("arm").get(0)).isEqualTo(Path.of("/usr/lib/arm-linux-gnueabihf/libpcsclite.so.1"));
        assertThat(PcscLibrary.find("amd64", p -> p.equals(Path.of("/usr/lib64/libpcsclite.so.1"))))
                .contains(Path.of("/usr/lib64/libpcsclite.so.1"));
        assertThat(PcscLibrary.find("amd64", p -> false)).isEmpty();
    }

    @Test
    void classifiesThePcscFailuresTheTerminalActsOn() {
        assertThat(PcscErrors.classify(new IllegalArgumentException("apdu must be at least 2 bytes long")))
                .isEqualTo(PcscErrors.Kind.CARD_REMOVED);
        assertThat(PcscErrors.classify(new javax.smartcardio.CardException("x", new Exception("SCARD_E_NOT_TRANSACTED"))))
                .isEqualTo(PcscErrors.Kind.CARD_REMOVED);
        assertThat(PcscErrors.classify(new javax.smartcardio.CardException("list() failed", new Exception("SCARD_E_NO_SERVICE"))))
                .isEqualTo(PcscErrors.Kind.SERVICE_DOWN);
        assertThat(PcscErrors.classify(new javax.smartcardio.CardNotPresentException("No card present")))
                .isEqualTo(PcscErrors.Kind.NO_CARD);
        assertThat(PcscErrors.classify(new javax.smartcardio.CardException("x", new Exception("SCARD_E_UNKNOWN_READER"))))
                .isEqualTo(PcscErrors.Kind.READER_GONE);
    }
}
