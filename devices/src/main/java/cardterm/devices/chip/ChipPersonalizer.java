package cardterm.devices.chip;

import cardterm.devices.check.Problems;
import cardterm.devices.chip.ChipProfile.Application;
import cardterm.devices.chip.ChipProfile.ChipFile;
import cardterm.devices.chip.ChipProfile.ChipRecord;
import cardterm.devices.citizen.CitizenName;
import cardterm.devices.citizen.ResidentId;
import cardterm.devices.pcsc.Apdu;
import cardterm.devices.pcsc.ApduChannel;
import cardterm.devices.pcsc.ApduResponse;
import cardterm.devices.pcsc.CardConnection;
import cardterm.devices.pcsc.CardProtocolException;
import cardterm.devices.pcsc.CardReader;
import cardterm.devices.pcsc.CardRemovedException;
import cardterm.devices.pcsc.GetResponseChannel;
import cardterm.devices.pcsc.NoCardException;
import cardterm.devices.pcsc.PcscServiceException;
import cardterm.devices.pcsc.ReaderUnavailableException;
import cardterm.devices.pcsc.SmartCardException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a citizen's {@link ChipData} into a blank card with the {@code ssse-basic} profile
 * (chip-profile.md), APDU by APDU, with the issuer SAM computing the cryptogram, and reads issued
 * cards back. Runs unchanged over PC/SC readers or the simulator: it only needs two
 * {@link ApduChannel}s.
 *
 * <pre>{@code
 * ChipPersonalizer p = new ChipPersonalizer(cardReader, samReader);   // CardReader: PcscReader or simulated
 * ChipResult r = p.personalize(data);                                  // connects, runs, disconnects
 * if (!r.ok()) { r.outcome(); r.recordsWritten(); }                    // e.g. CARD_WRITE_FAILED, [EF05/5]
 * }</pre>
 *
 * <p>61xx and 6Cxx are handled by {@link GetResponseChannel} for every command but EXTERNAL
 * AUTHENTICATE, which is sent exactly once per job step and never repeated: each failure burns
 * one of the card's tries. Nothing personal is logged: commands by name, status words, record
 * labels.
 */
public final class ChipPersonalizer {
    private static final Logger LOG = LoggerFactory.getLogger(ChipPersonalizer.class);

    private final CardReader cardReader;
    private final CardReader samReader;

    /**
     * @param cardReader the encoder ({@code reader.card})
     * @param samReader the SAM slot ({@code reader.sam}); may be null for reading only
     */
    public ChipPersonalizer(CardReader cardReader, CardReader samReader) {
        this.cardReader = Objects.requireNonNull(cardReader, "cardReader");
        this.samReader = samReader;
    }

    /** Connects to the card and the SAM, personalizes, disconnects. Never throws for card trouble. */
    public ChipResult personalize(ChipData data) {
        Objects.requireNonNull(data, "data");
        CardConnection card;
        try {
            card = cardReader.connect();
        } catch (NoCardException e) {
            return log(fail(ChipOutcome.NO_CARD, e.getMessage()));
        } catch (CardRemovedException e) {
            return log(fail(ChipOutcome.CARD_REMOVED, e.getMessage()));
        } catch (SmartCardException e) {
            return log(fail(ChipOutcome.READER_UNAVAILABLE, e.getMessage()));
        }
        try (card) {
            if (samReader == null) {
                return log(fail(ChipOutcome.SAM_FAILED, "no SAM reader configured"));
            }
            CardConnection sam;
            try {
                sam = samReader.connect();
            } catch (SmartCardException e) {
                return log(fail(ChipOutcome.SAM_FAILED, "SAM: " + e.getMessage()));
            }
            try (sam) {
                return log(personalize(card, sam, data));
            }
        }
    }

    /** Connects to the card and reads its public data. */
    public ChipReading read() {
        try (CardConnection card = cardReader.connect()) {
            return read(card);
        } catch (NoCardException e) {
            return new ChipReading.Failed(ChipOutcome.NO_CARD, e.getMessage());
        } catch (CardRemovedException e) {
            return new ChipReading.Failed(ChipOutcome.CARD_REMOVED, e.getMessage());
        } catch (SmartCardException e) {
            return new ChipReading.Failed(ChipOutcome.READER_UNAVAILABLE, e.getMessage());
        }
    }

    /** The profile's whole sequence over two open channels (the card's and the SAM's). */
    public static ChipResult personalize(ApduChannel card, ApduChannel sam, ChipData data) {
        return new Run(card, sam).personalize(data);
    }

    /** Reads the public data of the card on an open channel. */
    public static ChipReading read(ApduChannel card) {
        return new Run(card, null).read();
    }

    private static ChipResult fail(ChipOutcome outcome, String detail) {
        return new ChipResult(outcome, detail, List.of(), null, OptionalInt.empty());
    }

    private static ChipResult log(ChipResult r) {
        if (r.ok()) {
            LOG.info("chip personalized: {} records written and verified", r.recordsWritten().size());
        } else {
            LOG.warn("chip job failed: {}", r);
        }
        return r;
    }

    /** The outcome of an unexpected card status word (chip-profile.md's table). */
    static ChipOutcome outcomeOf(int sw) {
        if ((sw & 0xFFF0) == 0x63C0) {
            return ChipOutcome.CARD_AUTH_FAILED;
        }
        return switch (sw) {
            case 0x6A82, 0x6A83 -> ChipOutcome.CARD_UNSUPPORTED;
            case 0x6982, 0x6581 -> ChipOutcome.CARD_WRITE_FAILED;
            case 0x6983 -> ChipOutcome.CARD_AUTH_BLOCKED;
            default -> ChipOutcome.CARD_PROTOCOL_ERROR;
        };
    }

    /** Stops a run with an outcome. */
    private static final class Stop extends RuntimeException {
        final ChipOutcome outcome;
        final String detail;
        final OptionalInt sw;

        Stop(ChipOutcome outcome, String detail, OptionalInt sw) {
            super(detail, null, false, false);
            this.outcome = outcome;
            this.detail = detail;
            this.sw = sw;
        }
    }

    /** One job on one pair of channels. */
    private static final class Run {
        private final ApduChannel rawCard;
        private final ApduChannel card;
        private final ApduChannel sam;
        private final List<String> written = new ArrayList<>();
        private String writing;

        Run(ApduChannel card, ApduChannel sam) {
            this.rawCard = card;
            this.card = new GetResponseChannel(card);
            this.sam = sam == null ? null : new GetResponseChannel(sam);
        }

        ChipResult personalize(ChipData d) {
            try {
                byte[] idCode = checkBlank();
                if (d.concession().granted()) {
                    ApduResponse t = cardCall(ChipProfile.selectApplication(Application.TRANSIT), "SELECT transit application");
                    if (t.sw() == 0x6A82) {
                        throw new Stop(ChipOutcome.CONCESSION_UNSUPPORTED, "the card has no transit application (6A82)",
                                OptionalInt.of(0x6A82));
                    }
                    expectOk(t, "SELECT transit application");
                    cardOk(ChipProfile.selectApplication(Application.SSSE), "SELECT SSSE");
                }
                authenticate(idCode);
                cardOk(ChipProfile.selectFile(ChipFile.EF05), "SELECT EF05");
                for (ChipRecord r : ChipProfile.ef05Records(d)) {
                    write(r);
                }
                cardOk(ChipProfile.selectFile(ChipFile.EF06), "SELECT EF06");
                for (ChipRecord r : ChipProfile.ef06Records(d)) {
                    write(r);
                }
                List<ChipRecord> ef15 = ChipProfile.ef15Records(d);
                if (!ef15.isEmpty()) {
                    cardOk(ChipProfile.selectApplication(Application.TRANSIT), "SELECT transit application");
                    cardOk(ChipProfile.selectFile(ChipFile.EF15), "SELECT EF15");
                    authenticate(idCode);
                    for (ChipRecord r : ef15) {
                        write(r);
                    }
                }
                verify(ChipProfile.allRecords(d));
                return new ChipResult(ChipOutcome.OK, "", written, null, OptionalInt.empty());
            } catch (Stop s) {
                return new ChipResult(s.outcome, s.detail, written, writing, s.sw);
            }
        }

        /** Steps 1-4: the SSSE application, the identification code, and no card number yet. */
        private byte[] checkBlank() {
            ssseEf05();
            byte[] idCode = readRecord(ChipFile.EF05, 1, ChipOutcome.CARD_UNSUPPORTED);
            ApduResponse r7 = cardCall(ChipProfile.readRecord(7), "READ RECORD EF05/7");
            if (r7.sw() != 0x6A83) {
                throw new Stop(ChipOutcome.CARD_ALREADY_ISSUED,
                        String.format("EF05/7 (card number) answered %04X, not 6A83: the card is issued", r7.sw()),
                        OptionalInt.of(r7.sw()));
            }
            return idCode;
        }

        private void ssseEf05() {
            cardOk(ChipProfile.selectApplication(Application.SSSE), "SELECT SSSE");
            cardOk(ChipProfile.selectFile(ChipFile.EF05), "SELECT EF05");
        }

        /** Steps 6-9: challenge from the card, cryptogram from the SAM, EXTERNAL AUTHENTICATE once. */
        private void authenticate(byte[] idCode) {
            ApduResponse ch = cardOk(ChipProfile.getChallenge(), "GET CHALLENGE");
            if (ch.dataLength() != 8) {
                throw new Stop(ChipOutcome.CARD_PROTOCOL_ERROR, "GET CHALLENGE gave " + ch.dataLength() + " bytes, not 8",
                        OptionalInt.of(ch.sw()));
            }
            samOk(ChipProfile.samInitKey(ChipProfile.diversifier(idCode)), "SAM 80 1A (initialise key)");
            ApduResponse c = samOk(ChipProfile.samCipher(ch.data()), "SAM 80 FA (cryptogram)");
            if (c.dataLength() != 8) {
                throw new Stop(ChipOutcome.SAM_FAILED, "SAM 80 FA gave " + c.dataLength() + " bytes, not 8",
                        OptionalInt.of(c.sw()));
            }
            // Sent once, on the raw channel: a 6Cxx must not make anything repeat it.
            byte[] ea = ChipProfile.externalAuthenticate(c.data());
            ApduResponse r = new ApduResponse(onCard(() -> rawCard.transceive(ea), "EXTERNAL AUTHENTICATE"));
            int sw = r.sw();
            if (sw == 0x9000 || r.sw1() == 0x61) {
                return;
            }
            if ((sw & 0xFFF0) == 0x63C0) {
                throw new Stop(ChipOutcome.CARD_AUTH_FAILED,
                        "EXTERNAL AUTHENTICATE refused the cryptogram (" + (sw & 0x0F) + " tries left; not repeated)",
                        OptionalInt.of(sw));
            }
            if (sw == 0x6983) {
                throw new Stop(ChipOutcome.CARD_AUTH_BLOCKED, "the card's key is blocked (6983)", OptionalInt.of(sw));
            }
            throw unexpected(sw, "EXTERNAL AUTHENTICATE", ea);
        }

        private void write(ChipRecord r) {
            writing = r.label();
            byte[] cmd = ChipProfile.updateRecord(r);
            ApduResponse w = cardCall(cmd, "UPDATE RECORD " + r.label());
            if (!w.isOk()) {
                throw unexpected(w.sw(), "UPDATE RECORD " + r.label(), cmd);
            }
            written.add(r.label());
            writing = null;
        }

        /** Step 13: read every written record back, selecting application and file again. */
        private void verify(List<ChipRecord> records) {
            Application app = null;
            ChipFile file = null;
            for (ChipRecord r : records) {
                if (r.file().application() != app) {
                    app = r.file().application();
                    cardOk(ChipProfile.selectApplication(app), "SELECT " + app + " (verify)");
                    file = null;
                }
                if (r.file() != file) {
                    file = r.file();
                    cardOk(ChipProfile.selectFile(file), "SELECT " + file + " (verify)");
                }
                ApduResponse rr = cardCall(ChipProfile.readRecord(r.number()), "READ RECORD " + r.label() + " (verify)");
                // 6A83 here is the status-word table's "elsewhere": CARD_UNSUPPORTED (the card is rejected
                // either way); only bytes that read back different are CARD_VERIFY_FAILED (step 13)
                expectOk(rr, "READ RECORD " + r.label() + " (verify)");
                if (!Arrays.equals(rr.data(), r.tlv())) {
                    throw new Stop(ChipOutcome.CARD_VERIFY_FAILED, r.label() + " reads back different bytes",
                            OptionalInt.empty());
                }
            }
        }

        ChipReading read() {
            try {
                ssseEf05();
                byte[] idCode = readRecord(ChipFile.EF05, 1, ChipOutcome.CARD_UNSUPPORTED);
                String region = Apdu.hex(Arrays.copyOf(idCode, 3));
                ApduResponse r7 = cardCall(ChipProfile.readRecord(7), "READ RECORD EF05/7");
                if (r7.sw() == 0x6A83) {
                    return new ChipReading.Blank(region);
                }
                expectOk(r7, "READ RECORD EF05/7");
                String cardNumber = new String(value(r7, ChipFile.EF05, 7), StandardCharsets.US_ASCII);
                LocalDate issue = date(readRecord(ChipFile.EF05, 5, ChipOutcome.CARD_UNSUPPORTED), "EF05/5");
                LocalDate expiry = date(readRecord(ChipFile.EF05, 6, ChipOutcome.CARD_UNSUPPORTED), "EF05/6");
                cardOk(ChipProfile.selectFile(ChipFile.EF06), "SELECT EF06");
                String id = new String(readRecord(ChipFile.EF06, 1, ChipOutcome.CARD_UNSUPPORTED), StandardCharsets.US_ASCII);
                byte[] name = readRecord(ChipFile.EF06, 2, ChipOutcome.CARD_UNSUPPORTED);
                Optional<Concession> concession;
                ApduResponse t = cardCall(ChipProfile.selectApplication(Application.TRANSIT), "SELECT transit application");
                if (t.sw() == 0x6A82) {
                    concession = Optional.empty();
                } else {
                    expectOk(t, "SELECT transit application");
                    cardOk(ChipProfile.selectFile(ChipFile.EF15), "SELECT EF15");
                    ApduResponse c = cardCall(ChipProfile.readRecord(1), "READ RECORD EF15/1");
                    if (c.sw() == 0x6A83) {
                        concession = Optional.of(Concession.NONE);
                    } else {
                        expectOk(c, "READ RECORD EF15/1");
                        byte[] v = value(c, ChipFile.EF15, 1);
                        try {
                            Concession.Type type = Concession.Type.ofChipCode(v[0] & 0xFF);
                            concession = Optional.of(Concession.of(type,
                                    type == Concession.Type.NONE ? null : date(Arrays.copyOfRange(v, 1, 5), "EF15/1")));
                        } catch (IllegalArgumentException e) {
                            throw new Stop(ChipOutcome.CARD_UNSUPPORTED, "EF15/1: " + e.getMessage(), OptionalInt.empty());
                        }
                    }
                }
                return new ChipReading.Issued(new PublicCardData(maskId(id), maskName(name), cardNumber, issue, expiry,
                        concession, region));
            } catch (Stop s) {
                return new ChipReading.Failed(s.outcome, s.detail);
            }
        }

        private static String maskId(String id) {
            Optional<ResidentId> r = ResidentId.parse(id, "id", new Problems());
            if (r.isPresent()) {
                return r.get().masked();
            }
            return id.length() == 18 ? id.substring(0, 6) + "********" + id.substring(14) : "*".repeat(id.length());
        }

        private static String maskName(byte[] chip) {
            try {
                return CitizenName.fromChip(chip).masked();
            } catch (IllegalArgumentException e) {
                return "*";
            }
        }

        private static LocalDate date(byte[] v, String label) {
            try {
                return Bcd.parseDate(v);
            } catch (IllegalArgumentException e) {
                throw new Stop(ChipOutcome.CARD_UNSUPPORTED, label + " is not a BCD date", OptionalInt.empty());
            }
        }

        /** READ RECORD of the current EF; the value after checking tag and length. */
        private byte[] readRecord(ChipFile file, int rec, ChipOutcome ifMissing) {
            ApduResponse r = cardCall(ChipProfile.readRecord(rec), "READ RECORD " + file + "/" + rec);
            if (r.sw() == 0x6A83) {
                throw new Stop(ifMissing, file + "/" + rec + " not found (6A83)", OptionalInt.of(0x6A83));
            }
            expectOk(r, "READ RECORD " + file + "/" + rec);
            return value(r, file, rec);
        }

        private static byte[] value(ApduResponse r, ChipFile file, int rec) {
            byte[] d = r.data();
            int len = file.recordLength(rec);
            if (d.length != len + 2 || (d[0] & 0xFF) != rec || (d[1] & 0xFF) != len) {
                throw new Stop(ChipOutcome.CARD_UNSUPPORTED, file + "/" + rec + " is not a " + len
                        + "-byte record of this profile", OptionalInt.of(r.sw()));
            }
            return Arrays.copyOfRange(d, 2, d.length);
        }

        private ApduResponse cardOk(byte[] cmd, String what) {
            return expectOk(cardCall(cmd, what), what, cmd);
        }

        private ApduResponse expectOk(ApduResponse r, String what) {
            return expectOk(r, what, null);
        }

        private ApduResponse expectOk(ApduResponse r, String what, byte[] cmd) {
            if (!r.isOk()) {
                throw unexpected(r.sw(), what, cmd);
            }
            return r;
        }

        private Stop unexpected(int sw, String what, byte[] cmd) {
            ChipOutcome o = outcomeOf(sw);
            if (o == ChipOutcome.CARD_PROTOCOL_ERROR && cmd != null) {
                LOG.warn("{} ({}) answered {}: not expected by the profile", what, Apdu.describe(cmd), String.format("%04X", sw));
            }
            return new Stop(o, String.format("%s answered %04X", what, sw), OptionalInt.of(sw));
        }

        private ApduResponse cardCall(byte[] cmd, String what) {
            return new ApduResponse(onCard(() -> card.transceive(cmd), what));
        }

        private byte[] onCard(java.util.function.Supplier<byte[]> exchange, String what) {
            try {
                return exchange.get();
            } catch (CardRemovedException e) {
                throw new Stop(ChipOutcome.CARD_REMOVED, what + ": card removed", OptionalInt.empty());
            } catch (ReaderUnavailableException | PcscServiceException e) {
                throw new Stop(ChipOutcome.READER_UNAVAILABLE, what + ": " + e.getMessage(), OptionalInt.empty());
            } catch (CardProtocolException e) {
                throw new Stop(ChipOutcome.CARD_PROTOCOL_ERROR, what + ": " + e.getMessage(), OptionalInt.empty());
            } catch (SmartCardException e) {
                throw new Stop(ChipOutcome.READER_UNAVAILABLE, what + ": " + e.getMessage(), OptionalInt.empty());
            }
        }

        private ApduResponse samOk(byte[] cmd, String what) {
            if (sam == null) {
                throw new Stop(ChipOutcome.SAM_FAILED, "no SAM", OptionalInt.empty());
            }
            ApduResponse r;
            try {
                r = sam.transmit(cmd);
            } catch (SmartCardException e) {
                throw new Stop(ChipOutcome.SAM_FAILED, what + ": " + e.getMessage(), OptionalInt.empty());
            }
            if (!r.isOk()) {
                throw new Stop(ChipOutcome.SAM_FAILED, String.format("%s answered %04X", what, r.sw()), OptionalInt.of(r.sw()));
            }
            return r;
        }
    }
}
