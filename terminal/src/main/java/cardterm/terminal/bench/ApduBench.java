package cardterm.terminal.bench;

import static cardterm.terminal.bench.BenchSupport.median;

import cardterm.terminal.ExitCodes;
import cardterm.devices.chip.ChipData;
import cardterm.devices.chip.ChipPersonalizer;
import cardterm.devices.chip.ChipProfile;
import cardterm.devices.chip.ChipResult;
import cardterm.devices.chip.Concession;
import cardterm.devices.chip.sim.SimulatedCard;
import cardterm.devices.chip.sim.SimulatedSam;
import cardterm.devices.chip.sim.VpcdCardClient;
import cardterm.devices.pcsc.Apdu;
import cardterm.devices.pcsc.ApduChannel;
import cardterm.devices.pcsc.CardConnection;
import cardterm.devices.pcsc.GetResponseChannel;
import cardterm.devices.pcsc.PcscLibrary;
import cardterm.devices.pcsc.PcscReader;
import cardterm.devices.pcsc.PcscService;
import cardterm.devices.pcsc.SmartCardException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import javax.smartcardio.TerminalFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cardterm bench apdu}: the reader layer against raw javax.smartcardio, on the same virtual
 * card through the real pcscd (vsmartcard-vpcd), in the same run. Puts a simulated blank card and
 * SAM into the two vpcd readers, times READ RECORD round trips in many short blocks, alternating
 * raw {@code CardChannel.transmit} and {@link PcscReader} with {@link GetResponseChannel} (and
 * which goes first), takes the median block of each (short blocks sample a busy machine's noise
 * evenly), then times one full personalization (with concession: the longest job).
 * Ends with one line: {@code raw_us=.. layer_us=.. ratio=.. personalize_ms=..}.
 */
@Command(name = "apdu", mixinStandardHelpOptions = true,
        description = "APDU round trips: reader layer vs raw javax.smartcardio on a virtual card through pcscd + vpcd.")
public final class ApduBench implements Callable<Integer> {
    private static final byte[] READ_RECORD_1 = ChipProfile.readRecord(1);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "500", description = "Round trips per block (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--blocks", defaultValue = "31", description = "Blocks of each kind, alternating (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--card-reader", defaultValue = VpcdCardClient.CARD_READER, description = "vpcd reader of the card.")
    String cardReaderName;

    @Option(names = "--sam-reader", defaultValue = VpcdCardClient.SAM_READER, description = "vpcd reader of the SAM.")
    String samReaderName;

    @Option(names = "--card-port", defaultValue = "35963", description = "vpcd port of the card reader.")
    int cardPort;

    @Option(names = "--sam-port", defaultValue = "35964", description = "vpcd port of the SAM reader.")
    int samPort;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rounds < 1 || blocks < 1) {
            err.println("cardterm bench apdu: --rounds and --blocks must be at least 1");
            return ExitCodes.BAD_INPUT;
        }
        PcscLibrary.configure();
        try (VpcdCardClient card = new VpcdCardClient(cardPort);
                VpcdCardClient sam = new VpcdCardClient(samPort);
                PcscReader cardReader = PcscReader.of("reader.card", cardReaderName);
                PcscReader samReader = PcscReader.of("reader.sam", samReaderName)) {
            PcscService.shared().readerNames(); // fails clearly if pcscd is down
            sam.insert(SimulatedSam.withTestKey());
            card.insert(SimulatedCard.blank(identificationCode()));
            awaitCard(cardReader);
            awaitCard(samReader);
            CardTerminal rawTerminal = TerminalFactory.getInstance("PC/SC", null).terminals().getTerminal(cardReaderName);

            // warm up both paths (JIT, pcscd caches)
            rawBlock(rawTerminal, Math.min(rounds, 500));
            layerBlock(cardReader, Math.min(rounds, 500));
            double[] raw = new double[blocks];
            double[] layer = new double[blocks];
            for (int b = 0; b < blocks; b++) {
                if (b % 2 == 0) { // alternate which goes first, so drift does not favour one
                    raw[b] = rawBlock(rawTerminal, rounds);
                    layer[b] = layerBlock(cardReader, rounds);
                } else {
                    layer[b] = layerBlock(cardReader, rounds);
                    raw[b] = rawBlock(rawTerminal, rounds);
                }
            }
            double rawUs = median(raw);
            double layerUs = median(layer);

            long t0 = System.nanoTime();
            ChipResult result = new ChipPersonalizer(cardReader, samReader).personalize(sampleJob());
            double personalizeMs = (System.nanoTime() - t0) / 1e6;
            if (!result.ok()) {
                err.println("cardterm bench apdu: personalization failed: " + result);
                return ExitCodes.FAILED;
            }
            out.printf(Locale.ROOT, "reader layer vs raw javax.smartcardio, %d x %d READ RECORD round trips per kind, "
                    + "median block; card in %s%n", blocks, rounds, cardReaderName);
            out.printf(Locale.ROOT, "raw blocks (us): %s%n", Arrays.toString(round(raw)));
            out.printf(Locale.ROOT, "layer blocks (us): %s%n", Arrays.toString(round(layer)));
            out.printf(Locale.ROOT, "goal: layer <= 1.10 x raw: %s%n", layerUs / rawUs <= 1.10 ? "met" : "NOT met");
            out.printf(Locale.ROOT, "raw_us=%.1f layer_us=%.1f ratio=%.3f personalize_ms=%.1f%n",
                    rawUs, layerUs, layerUs / rawUs, personalizeMs);
            out.flush();
            return 0;
        } catch (SmartCardException | IllegalStateException | CardException | java.security.NoSuchAlgorithmException e) {
            err.println("cardterm bench apdu: " + e.getMessage()
                    + " (needs pcscd with vsmartcard-vpcd: apt-get install -y pcscd vsmartcard-vpcd; pcscd --foreground &)");
            return ExitCodes.FAILED;
        }
    }

    /** Per round trip, in microseconds: plain javax.smartcardio on its own connection. */
    private static double rawBlock(CardTerminal t, int n) throws CardException {
        Card c = t.connect("*");
        try {
            c.beginExclusive();
            CardChannel ch = c.getBasicChannel();
            ch.transmit(new CommandAPDU(ChipProfile.selectApplication(ChipProfile.Application.SSSE)));
            ch.transmit(new CommandAPDU(ChipProfile.selectFile(ChipProfile.ChipFile.EF05)));
            CommandAPDU cmd = new CommandAPDU(READ_RECORD_1);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ResponseAPDU r = ch.transmit(cmd);
                if (r.getSW() != 0x9000) {
                    throw new IllegalStateException(String.format("raw READ RECORD answered %04X", r.getSW()));
                }
            }
            double us = (System.nanoTime() - t0) / 1e3 / n;
            c.endExclusive();
            return us;
        } finally {
            c.disconnect(false);
        }
    }

    /** Per round trip, in microseconds: the reader layer with its GET RESPONSE wrapper. */
    private static double layerBlock(PcscReader reader, int n) {
        try (CardConnection conn = reader.connect()) {
            ApduChannel ch = new GetResponseChannel(conn);
            ch.transceive(ChipProfile.selectApplication(ChipProfile.Application.SSSE));
            ch.transceive(ChipProfile.selectFile(ChipProfile.ChipFile.EF05));
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] r = ch.transceive(READ_RECORD_1);
                if (Apdu.sw(r) != 0x9000) {
                    throw new IllegalStateException(String.format("layer READ RECORD answered %04X", Apdu.sw(r)));
                }
            }
            return (System.nanoTime() - t0) / 1e3 / n;
        }
    }

    private static void awaitCard(PcscReader reader) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!reader.isCardPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pcscd did not see the virtual card in " + reader.description() + " within 10 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static byte[] identificationCode() {
        return ByteBuffer.allocate(ChipProfile.ID_CODE_LENGTH).put(ChipProfile.REGION_WENZHOU).put(new byte[5])
                .putLong(System.nanoTime()).array();
    }

    /** A made-up senior with a free-ride concession: the job with the most APDUs. */
    private static ChipData sampleJob() {
        LocalDate issue = LocalDate.of(2026, 11, 26);
        return ChipData.builder().idNumber("330302195201011231").name("测试员").gender("1").ethnicity(1)
                .cardNumber("BENCH0001").issueDate(issue).expiryDate(issue.plusYears(10))
                .concession(new Concession(Concession.Type.FREE, issue.plusYears(10))).build();
    }

    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 10) / 10.0;
        }
        return r;
    }
}
