package cardterm.bridge.ecl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Device-side command decoding, including Db payloads, fed fragments with no I/O. */
class EclCommandDecoderTest {

    private final EclCommandDecoder decoder = new EclCommandDecoder();
    private final List<String> out = new ArrayList<>();
    private final List<byte[]> payloads = new ArrayList<>();
    private final EclCommandDecoder.Sink sink = new EclCommandDecoder.Sink() {
        @Override
        public void command(EclCommand command, byte[] data) {
            out.add(command + (data == null ? "" : " +" + data.length));
            if (data != null) {
                payloads.add(data);
            }
        }

        @Override
        public void framingError(String reason) {
            out.add("FRAMING:" + reason);
        }
    };

    private void feed(String s) {
        feed(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void feed(byte[] b) {
        decoder.feed(b, 0, b.length, sink);
    }

    @Test
    void commandsInFragments() {
        feed("\u001bR");
        feed("st\r\u001bPem;");
        feed("2\r");
        assertThat(out).containsExactly("Rst", "Pem;2");
    }

    @Test
    void encodedCommandsDecodeToThemselves() {
        feed(EclCommand.RFV.encode());
        feed(EclCommand.PEM_HOST.encode());
        feed(EclCommand.download("o", "front", 0).encode());
        assertThat(out).containsExactly("Rfv", "Pem;2", "Db;o;front;0 +0");
    }

    @Test
    void downloadPayloadMayHoldCrAndEscAndComesInPieces() {
        byte[] data = new byte[82_296];
        new Random(7).nextBytes(data);
        data[0] = EclCodec.CR;
        data[1] = EclCodec.ESC;
        feed(EclCommand.download("k", "front", data.length).encode());
        assertThat(decoder.inData()).isTrue();
        for (int i = 0; i < data.length; i += 1000) {
            decoder.feed(data, i, Math.min(1000, data.length - i), sink);
        }
        feed("\u001bSe\r");
        assertThat(out).containsExactly("Db;k;front;82296 +82296", "Se");
        assertThat(payloads.get(0)).isEqualTo(data);
    }

    @Test
    void junkBeforeEscIsDiscardedToCrAndReportedOnce() {
        feed("hello\r\u001bRfv\r");
        assertThat(out).containsExactly("FRAMING:bytes before ESC", "Rfv");
    }

    @Test
    void lineFeedAfterCrStartsAJunkLineThatSwallowsTheNextCommand() {
        feed("\u001bRst\r\n\u001bRsn\r\u001bRsp\r");
        assertThat(out).containsExactly("Rst", "FRAMING:bytes before ESC", "Rsp");
    }

    @Test
    void loneCrIsIgnored() {
        feed("\r\r\u001bRst\r");
        assertThat(out).containsExactly("Rst");
    }

    @Test
    void downloadWithBadCountConsumesNothing() {
        feed("\u001bDb;k;front;abc\r\u001bDb;y;front;999999999\r\u001bDb;k\r\u001bRst\r");
        assertThat(out).containsExactly("Db;k;front;abc", "Db;y;front;999999999", "Db;k", "Rst");
    }

    @Test
    void downloadWithAValidButWrongCountStillConsumesIt() {
        feed("\u001bDb;x;front;3\rabc\u001bRst\r");
        assertThat(out).containsExactly("Db;x;front;3 +3", "Rst");
    }

    @Test
    void overlongAndMalformedLinesAreFramingErrors() {
        feed("\u001b" + "R".repeat(400) + "\r\u001b;x\r\u001bRs\u0001t\r\u001bRst\r");
        assertThat(out).containsExactly("FRAMING:line longer than 256 bytes", "FRAMING:malformed command",
                "FRAMING:byte outside printable ASCII in command", "Rst");
    }

    @Test
    void randomFragmentationOfValidTraffic() {
        Random rnd = new Random(99);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        List<byte[]> expectedData = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    wire.writeBytes(EclCommand.RST.encode());
                    expected.add("Rst");
                }
                case 1 -> {
                    wire.writeBytes(EclCommand.PEM_HOST.encode());
                    expected.add("Pem;2");
                }
                case 2 -> {
                    byte[] d = new byte[rnd.nextInt(3000)];
                    rnd.nextBytes(d);
                    EclCommand db = EclCommand.download("k", "back", d.length);
                    wire.writeBytes(db.encode());
                    wire.writeBytes(d);
                    expected.add(db + " +" + d.length);
                    expectedData.add(d);
                }
                default -> {
                    wire.writeBytes(EclCommand.SE.encode());
                    expected.add("Se");
                }
            }
        }
        byte[] all = wire.toByteArray();
        for (int i = 0; i < all.length; ) {
            int n = Math.min(all.length - i, rnd.nextInt(rnd.nextBoolean() ? 3 : 5000) + 1);
            decoder.feed(all, i, n, sink);
            i += n;
        }
        assertThat(out).containsExactlyElementsOf(expected);
        assertThat(payloads).hasSameSizeAs(expectedData);
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(Arrays.equals(payloads.get(i), expectedData.get(i))).isTrue();
        }
    }

    @Test
    void aMillionGarbageBytesNeverThrowAndResync() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Random rnd = new Random(1234);
            long total = 0;
            int rounds = 0;
            while (total < 1_500_000) {
                byte[] junk = new byte[rnd.nextInt(4000) + 1];
                rnd.nextBytes(junk);
                for (int i = 0; i < junk.length; ) {
                    int n = Math.min(junk.length - i, rnd.nextInt(200) + 1);
                    decoder.feed(junk, i, n, sink);
                    i += n;
                }
                total += junk.length;
                assertThat(decoder.inData()).as("random bytes never form a valid Db line").isFalse();
                out.clear();
                feed("\r\u001bRfv\r");
                assertThat(out).last().isEqualTo("Rfv");
                rounds++;
            }
            assertThat(rounds).isGreaterThan(100);
        });
    }
}
