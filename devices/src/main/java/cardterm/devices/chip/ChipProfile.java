package cardterm.devices.chip;

import cardterm.devices.pcsc.Apdu;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code ssse-basic} v1 profile of chip-profile.md as data: application ids, files, record
 * lengths, the record encodings of a {@link ChipData}, and the command APDUs. Shared by the
 * personalizer and the simulated card, so both read the same text the same way.
 */
public final class ChipProfile {
    /** "sx1.sh.社会保障" in GBK: the SSSE application. */
    public static final byte[] SSSE_AID = Apdu.fromHex("7378312E73682EC9E7BBE1B1A3D5CF");
    /** China T-Union transit application. */
    public static final byte[] TRANSIT_AID = Apdu.fromHex("A000000632010105");
    /** Card identification code length (EF05 record 1). */
    public static final int ID_CODE_LENGTH = 16;
    /** Region code of Wenzhou, first 3 bytes of the identification code. */
    public static final byte[] REGION_WENZHOU = {0x33, 0x03, 0x00};
    /** Key number of the card's external authentication key. */
    public static final int CARD_KEY = 0x01;

    private ChipProfile() {
    }

    /** The applications of the profile. */
    public enum Application {
        SSSE(SSSE_AID),
        TRANSIT(TRANSIT_AID);

        private final byte[] aid;

        Application(byte[] aid) {
            this.aid = aid;
        }

        public byte[] aid() {
            return aid.clone();
        }
    }

    /** The files of the profile, each in its application. */
    public enum ChipFile {
        EF05(Application.SSSE, 0xEF05, 5),
        EF06(Application.SSSE, 0xEF06, 6),
        EF15(Application.TRANSIT, 0xEF15, 0x15);

        private final Application application;
        private final int fileId;
        private final int sfi;

        ChipFile(Application application, int fileId, int sfi) {
            this.application = application;
            this.fileId = fileId;
            this.sfi = sfi;
        }

        public Application application() {
            return application;
        }

        public int fileId() {
            return fileId;
        }

        public int sfi() {
            return sfi;
        }

        /** Profile length of a record, or -1 if the profile has no such record. */
        public int recordLength(int record) {
            return switch (this) {
                case EF05 -> switch (record) {
                    case 1 -> ID_CODE_LENGTH;
                    case 3, 5, 6 -> 4;
                    case 7 -> 9;
                    default -> -1;
                };
                case EF06 -> switch (record) {
                    case 1 -> 18;
                    case 2 -> 30;
                    case 3, 4 -> 1;
                    case 6 -> 4;
                    default -> -1;
                };
                case EF15 -> record == 1 ? 5 : -1;
            };
        }

        /** Records written at the factory, never at the counter. */
        public boolean isFactoryRecord(int record) {
            return this == EF05 && (record == 1 || record == 3);
        }
    }

    /** One record value to write: file, number, value (without tag and length). */
    public record ChipRecord(ChipFile file, int number, byte[] value) {
        public ChipRecord {
            value = value.clone();
            if (file.recordLength(number) != value.length) {
                throw new IllegalArgumentException(file + "/" + number + " must be " + file.recordLength(number)
                        + " bytes, not " + value.length);
            }
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        /** {@code <rec> <len> <value>}, as UPDATE RECORD carries it and READ RECORD returns it. */
        public byte[] tlv() {
            byte[] t = new byte[value.length + 2];
            t[0] = (byte) number;
            t[1] = (byte) value.length;
            System.arraycopy(value, 0, t, 2, value.length);
            return t;
        }

        /** {@code EF05/5}: how events name a record. */
        public String label() {
            return file + "/" + number;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChipRecord r && r.file == file && r.number == number && Arrays.equals(r.value, value);
        }

        @Override
        public int hashCode() {
            return file.hashCode() * 31 + number;
        }

        @Override
        public String toString() {
            return label() + " (" + value.length + " bytes)";
        }
    }

    /** The records of EF05 written at the counter: 5 issue date, 6 expiry date, 7 card number. */
    public static List<ChipRecord> ef05Records(ChipData d) {
        return List.of(
                new ChipRecord(ChipFile.EF05, 5, Bcd.date(d.issueDate())),
                new ChipRecord(ChipFile.EF05, 6, Bcd.date(d.expiryDate())),
                new ChipRecord(ChipFile.EF05, 7, d.cardNumber().getBytes(StandardCharsets.US_ASCII)));
    }

    /** The records of EF06: 1 ID number, 2 name, 3 gender, 4 ethnicity, 6 birth date. */
    public static List<ChipRecord> ef06Records(ChipData d) {
        return List.of(
                new ChipRecord(ChipFile.EF06, 1, d.residentId().value().getBytes(StandardCharsets.US_ASCII)),
                new ChipRecord(ChipFile.EF06, 2, d.name().chipRecord()),
                new ChipRecord(ChipFile.EF06, 3, d.gender().code().getBytes(StandardCharsets.US_ASCII)),
                new ChipRecord(ChipFile.EF06, 4, new byte[] {(byte) d.ethnicity()}),
                new ChipRecord(ChipFile.EF06, 6, Bcd.date(d.birthDate())));
    }

    /** EF15 record 1, or empty if no concession is granted. */
    public static List<ChipRecord> ef15Records(ChipData d) {
        Concession c = d.concession();
        if (!c.granted()) {
            return List.of();
        }
        byte[] v = new byte[5];
        v[0] = (byte) c.type().chipCode();
        System.arraycopy(Bcd.date(c.validUntil()), 0, v, 1, 4);
        return List.of(new ChipRecord(ChipFile.EF15, 1, v));
    }

    /** Every record a job writes, in writing order. */
    public static List<ChipRecord> allRecords(ChipData d) {
        List<ChipRecord> all = new ArrayList<>(ef05Records(d));
        all.addAll(ef06Records(d));
        all.addAll(ef15Records(d));
        return List.copyOf(all);
    }

    // ---- command APDUs ----

    public static byte[] selectApplication(Application app) {
        return Apdu.command(0x00, 0xA4, 0x04, 0x00, app.aid, -1);
    }

    public static byte[] selectFile(ChipFile f) {
        return Apdu.command(0x00, 0xA4, 0x02, 0x00, new byte[] {(byte) (f.fileId >> 8), (byte) f.fileId}, -1);
    }

    /** {@code 00 B2 <rec> 04 00}: READ RECORD of the current EF. */
    public static byte[] readRecord(int record) {
        return Apdu.command(0x00, 0xB2, record, 0x04, null, 0x00);
    }

    /** {@code 00 DC <rec> 04 <len+2> <rec> <len> <value>}: UPDATE RECORD of the current EF. */
    public static byte[] updateRecord(ChipRecord r) {
        return Apdu.command(0x00, 0xDC, r.number(), 0x04, r.tlv(), -1);
    }

    /** {@code 00 84 00 00 08}: GET CHALLENGE, 8 bytes. */
    public static byte[] getChallenge() {
        return Apdu.command(0x00, 0x84, 0x00, 0x00, null, 0x08);
    }

    /** {@code 00 82 00 01 08 <C>}: EXTERNAL AUTHENTICATE with key 01. */
    public static byte[] externalAuthenticate(byte[] cryptogram) {
        return Apdu.command(0x00, 0x82, 0x00, CARD_KEY, cryptogram, -1);
    }

    /** SAM {@code 80 1A 39 01 08 <div>}: initialise the issuer key for a card. */
    public static byte[] samInitKey(byte[] diversifier) {
        return Apdu.command(0x80, 0x1A, 0x39, 0x01, diversifier, -1);
    }

    /** SAM {@code 80 FA 00 00 08 <R>}: the cryptogram of a challenge. */
    public static byte[] samCipher(byte[] challenge) {
        return Apdu.command(0x80, 0xFA, 0x00, 0x00, challenge, -1);
    }

    /** The SAM diversifier: the last 8 bytes of the identification code. */
    public static byte[] diversifier(byte[] identificationCode) {
        return Arrays.copyOfRange(identificationCode, identificationCode.length - 8, identificationCode.length);
    }
}
