package cardterm.bridge.ecl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Host-side line decoding, fed fragments with no sockets and no threads (Netty style). */
class EclResponseDecoderTest {

    private final EclResponseDecoder decoder = new EclResponseDecoder();
    private final List<Object> out = new ArrayList<>();
    private final EclResponseDecoder.Sink sink = new EclResponseDecoder.Sink() {
        @Override
        public void response(EclResponse response) {
            out.add(response);
        }

        @Override
        public void garbage(String reason, int bytes) {
            out.add("garbage:" + reason);
        }
    };

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        decoder.feed(b, 0, b.length, sink);
    }

    @Test
    void okInTwoFragments() {
        feed("O");
        assertThat(out).isEmpty();
        assertThat(decoder.hasPartialLine()).isTrue();
        feed("K\r");
        assertThat(out).containsExactly(EclResponse.Ok.INSTANCE);
        assertThat(decoder.hasPartialLine()).isFalse();
    }

    @Test
    void linesSplitAcrossFragmentsInEveryWay() {
        feed("ERR;JAM;ja");
        feed("m at head\rREA");
        feed("DY;\rribbon=K;left=3;printed=1;rejected=0\r");
        assertThat(out).containsExactly(
                new EclResponse.Err(EclErrorCode.JAM, "JAM", "jam at head"),
                new EclResponse.Data("READY;"),
                new EclResponse.Data("ribbon=K;left=3;printed=1;rejected=0"));
    }

    @Test
    void errorWithoutTextAndUnknownCode() {
        feed("ERR;BUSY\rERR;MELTDOWN;too hot\r");
        assertThat(out).containsExactly(
                new EclResponse.Err(EclErrorCode.BUSY, "BUSY", ""),
                new EclResponse.Err(EclErrorCode.UNRECOGNIZED, "MELTDOWN", "too hot"));
    }

    @Test
    void errorTextMayHoldSemicolons() {
        feed("ERR;BAD_ARGS;panel x; side y\r");
        assertThat(out).containsExactly(new EclResponse.Err(EclErrorCode.BAD_ARGS, "BAD_ARGS", "panel x; side y"));
    }

    @Test
    void lineFeedStartsAJunkLine() {
        feed("OK\r\nOK\rOK\r");
        assertThat(out).containsExactly(EclResponse.Ok.INSTANCE, "garbage:byte outside printable ASCII",
                EclResponse.Ok.INSTANCE);
    }

    @Test
    void overlongLineIsDiscardedUpToTheNextCr() {
        feed("A".repeat(300));
        assertThat(out).isEmpty();
        feed("BBB\rOK\r");
        assertThat(out).containsExactly("garbage:line longer than 256 bytes", EclResponse.Ok.INSTANCE);
    }

    @Test
    void exactly256BytesIsAValidLine() {
        feed("D".repeat(256) + "\r");
        assertThat(out).containsExactly(new EclResponse.Data("D".repeat(256)));
        out.clear();
        feed("D".repeat(257) + "\r");
        assertThat(out).containsExactly("garbage:line longer than 256 bytes");
    }

    @Test
    void emptyLineIsGarbage() {
        feed("\r\rOK\r");
        assertThat(out).containsExactly("garbage:empty line", "garbage:empty line", EclResponse.Ok.INSTANCE);
    }

    @Test
    void resetDropsAPartialLine() {
        feed("REA");
        decoder.reset();
        feed("OK\r");
        assertThat(out).containsExactly(EclResponse.Ok.INSTANCE);
    }

    @Test
    void randomFragmentationOfValidTrafficGivesTheSameLines() {
        Random rnd = new Random(20261126L);
        List<String> lines = List.of("OK", "ERR;COVER_OPEN;cover is open", "READY;", "WARNING;RIBBON_LOW,FEEDER_NEAR_EMPTY",
                "ribbon=YMCKO;left=250;printed=12;rejected=1", "ecl-sim 1.0", "SN-000042", "BUSY;CARD_IN_STATION");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<EclResponse> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String l = lines.get(rnd.nextInt(lines.size()));
            wire.writeBytes((l + "\r").getBytes(StandardCharsets.US_ASCII));
            expected.add(EclResponse.parse(l));
        }
        byte[] all = wire.toByteArray();
        int i = 0;
        while (i < all.length) {
            int n = Math.min(all.length - i, rnd.nextInt(rnd.nextBoolean() ? 4 : 600) + 1);
            decoder.feed(all, i, n, sink);
            i += n;
        }
        assertThat(out).containsExactlyElementsOf(expected);
    }

    @Test
    void aMillionGarbageBytesNeverThrowNorHangAndAlwaysResync() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Random rnd = new Random(42L);
            long garbageBytes = 0;
            int rounds = 0;
            while (garbageBytes < 2_000_000) {
                byte[] junk = new byte[rnd.nextInt(5000) + 1];
                rnd.nextBytes(junk);
                int i = 0;
                while (i < junk.length) {
                    int n = Math.min(junk.length - i, rnd.nextInt(300) + 1);
                    decoder.feed(junk, i, n, sink);
                    i += n;
                }
                garbageBytes += junk.length;
                out.clear();
                String marker = "MARK-" + rounds;
                feed("\r" + marker + "\r");
                assertThat(out).last().isEqualTo(new EclResponse.Data(marker));
                assertThat(decoder.hasPartialLine()).isFalse();
                rounds++;
            }
            assertThat(rounds).isGreaterThan(100);
        });
    }
}
