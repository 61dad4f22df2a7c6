package cardterm.devices.chip;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.chip.sim.CardFaults;
import cardterm.devices.chip.sim.SimulatedCard;
import cardterm.devices.chip.sim.SimulatedSam;
import cardterm.devices.chip.sim.VirtualCard;
import cardterm.devices.pcsc.Apdu;
import cardterm.devices.pcsc.ApduChannel;
import cardterm.devices.pcsc.CardRemovedException;
import cardterm.devices.pcsc.ReaderUnavailableException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * chip-profile.md's status word table, row by row: the simulated card and SAM of the spec, with one
 * answer replaced by the row's status word at the step where the row applies; the personalizer must
 * end with the row's outcome, report exactly the records written before, and never send EXTERNAL
 * AUTHENTICATE twice. (The same personalizer runs over pcscd and vpcd in ChipProfileVpcdTest.)
 */
class ChipOutcomeTableTest {
    private static final AtomicLong SERIAL = new AtomicLong(5000);

    /** What to replace: the n-th command (from 1) that {@code which} matches, on the card or the SAM. */
    record Fault(boolean sam, String what, Predicate<byte[]> which, int nth, Answer answer) {
        @Override
        public String toString() {
            return (sam ? "SAM " : "") + what + (nth > 1 ? " #" + nth : "") + " -> " + answer;
        }
    }

    /** The replaced answer: a status word, or an exception the reader adapter throws. */
    sealed interface Answer permits Sw, Throw {}

    record Sw(int sw, byte[] data) implements Answer {
        Sw(int sw) {
            this(sw, new byte[0]);
        }

        @Override
        public String toString() {
            return String.format("%04X", sw);
        }
    }

    record Throw(RuntimeException e) implements Answer {
        @Override
        public String toString() {
            return e.getClass().getSimpleName();
        }
    }

    private static Predicate<byte[]> ins(int cla, int ins) {
        return c -> (c[0] & 0xFF) == cla && (c[1] & 0xFF) == ins;
    }

    private static Predicate<byte[]> selectName(byte[] aid) {
        return c -> (c[1] & 0xFF) == 0xA4 && (c[2] & 0xFF) == 0x04
                && Apdu.hex(c).contains(Apdu.hex(aid));
    }

    private static Predicate<byte[]> selectFile(String fid) {
        return c -> (c[1] & 0xFF) == 0xA4 && (c[2] & 0xFF) == 0x02 && Apdu.hex(c).endsWith(fid);
    }

    private static Predicate<byte[]> readRecord(int rec) {
        return c -> (c[1] & 0xFF) == 0xB2 && (c[2] & 0xFF) == rec;
    }

    private static final Predicate<byte[]> UPDATE = ins(0x00, 0xDC);
    private static final Predicate<byte[]> EXT_AUTH = ins(0x00, 0x82);
    private static final Predicate<byte[]> CHALLENGE = ins(0x00, 0x84);

    private static Fault card(String what, Predicate<byte[]> which, int nth, Answer a) {
        return new Fault(false, what, which, nth, a);
    }

    private static Fault sam(String what, Predicate<byte[]> which, Answer a) {
        return new Fault(true, what, which, 1, a);
    }

    static Stream<Arguments> rows() {
        List<String> none = List.of();
        return Stream.of(
                // 6A82: file or application not found
                Arguments.of(card("SELECT SSSE", selectName(ChipProfile.SSSE_AID), 1, new Sw(0x6A82)), false,
                        ChipOutcome.CARD_UNSUPPORTED, none),
                Arguments.of(card("SELECT EF05", selectFile("EF05"), 1, new Sw(0x6A82)), false,
                        ChipOutcome.CARD_UNSUPPORTED, none),
                Arguments.of(card("SELECT EF06", selectFile("EF06"), 1, new Sw(0x6A82)), false,
                        ChipOutcome.CARD_UNSUPPORTED, List.of("EF05/5", "EF05/6", "EF05/7")),
                Arguments.of(card("SELECT transit (step 5)", selectName(ChipProfile.TRANSIT_AID), 1, new Sw(0x6A82)),
                        true, ChipOutcome.CONCESSION_UNSUPPORTED, none),
                // 6A83: expected in step 4 (a blank card); elsewhere CARD_UNSUPPORTED
                Arguments.of(card("READ RECORD EF05/1", readRecord(1), 1, new Sw(0x6A83)), false,
                        ChipOutcome.CARD_UNSUPPORTED, none),
                // anything but 6A83 in step 4: the card is issued
                Arguments.of(card("READ RECORD EF05/7", readRecord(7), 1,
                        new Sw(0x9000, Apdu.fromHex("0709" + "5A3030303030303031"))), false,
                        ChipOutcome.CARD_ALREADY_ISSUED, none),
                Arguments.of(card("READ RECORD EF05/7", readRecord(7), 1, new Sw(0x6A82)), false,
                        ChipOutcome.CARD_ALREADY_ISSUED, none),
                // 6982: security status not satisfied
                Arguments.of(card("UPDATE RECORD", UPDATE, 1, new Sw(0x6982)), false,
                        ChipOutcome.CARD_WRITE_FAILED, none),
                // 63Cx, 6983: authentication
                Arguments.of(card("EXTERNAL AUTHENTICATE", EXT_AUTH, 1, new Sw(0x63C1)), false,
                        ChipOutcome.CARD_AUTH_FAILED, none),
                Arguments.of(card("EXTERNAL AUTHENTICATE (EF15)", EXT_AUTH, 2, new Sw(0x63C2)), true,
                        ChipOutcome.CARD_AUTH_FAILED,
                        List.of("EF05/5", "EF05/6", "EF05/7", "EF06/1", "EF06/2", "EF06/3", "EF06/4", "EF06/6")),
                Arguments.of(card("EXTERNAL AUTHENTICATE", EXT_AUTH, 1, new Sw(0x6983)), false,
                        ChipOutcome.CARD_AUTH_BLOCKED, none),
                // 6581: memory failure during write
                Arguments.of(card("UPDATE RECORD", UPDATE, 3, new Sw(0x6581)), false,
                        ChipOutcome.CARD_WRITE_FAILED, List.of("EF05/5", "EF05/6")),
                // 6985: conditions not satisfied, on the card and on the SAM
                Arguments.of(card("EXTERNAL AUTHENTICATE", EXT_AUTH, 1, new Sw(0x6985)), false,
                        ChipOutcome.CARD_PROTOCOL_ERROR, none),
                Arguments.of(sam("80 FA", ins(0x80, 0xFA), new Sw(0x6985)), false, ChipOutcome.SAM_FAILED, none),
                // 6986: command not allowed (no current EF)
                Arguments.of(card("UPDATE RECORD", UPDATE, 2, new Sw(0x6986)), false,
                        ChipOutcome.CARD_PROTOCOL_ERROR, List.of("EF05/5")),
                // malformed command
                Arguments.of(card("UPDATE RECORD", UPDATE, 4, new Sw(0x6700)), false,
                        ChipOutcome.CARD_PROTOCOL_ERROR, List.of("EF05/5", "EF05/6", "EF05/7")),
                Arguments.of(card("UPDATE RECORD", UPDATE, 1, new Sw(0x6A80)), false,
                        ChipOutcome.CARD_PROTOCOL_ERROR, none),
                Arguments.of(card("READ RECORD EF05/1", readRecord(1), 1, new Sw(0x6A86)), false,
                        ChipOutcome.CARD_PROTOCOL_ERROR, none),
                Arguments.of(card("GET CHALLENGE", CHALLENGE, 1, new Sw(0x6D00)), false,
                        ChipOutcome.CARD_PROTOCOL_ERROR, none),
                Arguments.of(card("SELECT SSSE", selectName(ChipProfile.SSSE_AID), 1, new Sw(0x6E00)), false,
                        ChipOutcome.CARD_PROTOCOL_ERROR, none),
                // any other SW
                Arguments.of(card("GET CHALLENGE", CHALLENGE, 1, new Sw(0x6F00)), false,
                        ChipOutcome.CARD_PROTOCOL_ERROR, none),
                Arguments.of(card("EXTERNAL AUTHENTICATE", EXT_AUTH, 1, new Sw(0x6C08)), false,
                        ChipOutcome.CARD_PROTOCOL_ERROR, none),
                // read-back: a record written that is missing (6A83) is the table's "elsewhere" (CARD_UNSUPPORTED);
                // one that reads back different bytes fails verification (step 13)
                Arguments.of(card("READ RECORD EF05/5 (verify)", readRecord(5), 1, new Sw(0x6A83)), false,
                        ChipOutcome.CARD_UNSUPPORTED,
                        List.of("EF05/5", "EF05/6", "EF05/7", "EF06/1", "EF06/2", "EF06/3", "EF06/4", "EF06/6")),
                Arguments.of(card("READ RECORD EF06/2 (verify)", readRecord(2), 1,
                        new Sw(0x9000, Apdu.fromHex("021E" + "00".repeat(30)))), false,
                        ChipOutcome.CARD_VERIFY_FAILED,
                        List.of("EF05/5", "EF05/6", "EF05/7", "EF06/1", "EF06/2", "EF06/3", "EF06/4", "EF06/6")),
                // card removed, reader gone
                Arguments.of(card("UPDATE RECORD", UPDATE, 2, new Throw(new CardRemovedException("card"))), false,
                        ChipOutcome.CARD_REMOVED, List.of("EF05/5")),
                Arguments.of(card("GET CHALLENGE", CHALLENGE, 1,
                        new Throw(new ReaderUnavailableException("card", List.of()))), false,
                        ChipOutcome.READER_UNAVAILABLE, none),
                // SAM missing or answering anything but 9000
                Arguments.of(sam("80 1A", ins(0x80, 0x1A), new Sw(0x6A82)), false, ChipOutcome.SAM_FAILED, none),
                Arguments.of(sam("80 1A", ins(0x80, 0x1A), new Throw(new CardRemovedException("sam"))), false,
                        ChipOutcome.SAM_FAILED, none));
    }

    /** A virtual card with one answer replaced; counts EXTERNAL AUTHENTICATE commands. */
    static final class FaultyChannel implements ApduChannel {
        private final VirtualCard card;
        private final Fault fault;
        private int matched;
        final List<String> headers = new ArrayList<>();

        FaultyChannel(VirtualCard card, Fault fault) {
            this.card = card;
            this.fault = fault;
        }

        @Override
        public byte[] transceive(byte[] command) {
            headers.add(Apdu.hex(command).substring(0, 4));
            if (fault != null && fault.which().test(command) && ++matched == fault.nth()) {
                switch (fault.answer()) {
                    case Throw t -> throw t.e();
                    case Sw s -> {
                        return ByteBuffer.allocate(s.data().length + 2).put(s.data()).putShort((short) s.sw()).array();
                    }
                }
            }
            return card.process(command);
        }

        @Override
        public void close() {
        }
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("rows")
    void everyRowOfTheStatusWordTableEndsWithItsOutcome(Fault fault, boolean concession, ChipOutcome expected,
            List<String> written) {
        byte[] id = ByteBuffer.allocate(16).put(ChipProfile.REGION_WENZHOU).put(new byte[5])
                .putLong(SERIAL.incrementAndGet()).array();
        SimulatedCard blank = new SimulatedCard(id, CardFaults.none());
        FaultyChannel card = new FaultyChannel(blank, fault.sam() ? null : fault);
        FaultyChannel sam = new FaultyChannel(SimulatedSam.withTestKey(), fault.sam() ? fault : null);

        ChipResult r = ChipPersonalizer.personalize(card, sam, concession ? TestJobs.seniorWithFreeRide() : TestJobs.young());

        assertThat(r.outcome()).as(fault.toString()).isEqualTo(expected);
        assertThat(r.recordsWritten()).isEqualTo(written);
        assertThat(r.partlyWritten()).isEqualTo(!written.isEmpty() || r.failedRecord() != null);
        if (fault.answer() instanceof Sw s && s.sw() != 0x9000 && expected != ChipOutcome.SAM_FAILED
                && expected != ChipOutcome.CARD_ALREADY_ISSUED) {
            assertThat(r.statusWord()).isEqualTo(OptionalInt.of(s.sw()));
        }
        // EXTERNAL AUTHENTICATE: at most once per application, never repeated after a failure
        long auths = card.headers.stream().filter(h -> h.equals("0082")).count();
        assertThat(auths).isLessThanOrEqualTo(concession ? 2 : 1);
        if (expected == ChipOutcome.CARD_AUTH_FAILED || expected == ChipOutcome.CARD_AUTH_BLOCKED) {
            assertThat(card.headers.get(card.headers.size() - 1)).isEqualTo("0082"); // nothing after it
        }
        // a card left unwritten holds no card number; nothing is written after a failure
        if (written.isEmpty()) {
            assertThat(blank.isIssued()).isFalse();
        }
    }
}
