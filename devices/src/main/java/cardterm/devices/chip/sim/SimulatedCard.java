package cardterm.devices.chip.sim;

import cardterm.devices.chip.ChipProfile;
import cardterm.devices.chip.ChipProfile.Application;
import cardterm.devices.chip.ChipProfile.ChipFile;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * A citizen card as chip-profile.md describes it, in process: the SSSE application (EF05, EF06)
 * and, unless faulted away, the transit application (EF15); factory records (identification code,
 * spec version) and the card's diversified key; security state per application, one-shot
 * challenges, a try counter, exact record lengths and tags. Optional T=0 behaviour (61xx, 6Cxx)
 * and injected faults ({@link CardFaults}). Thread-safe.
 *
 * <p>Rules, as the profile states them: a successful EXTERNAL AUTHENTICATE opens writes to the
 * selected application until the next SELECT by name (even a failing one) or reset; UPDATE RECORD
 * without it answers 6982; a challenge serves one EXTERNAL AUTHENTICATE and is dropped by a
 * SELECT by name; a correct cryptogram resets the try counter; factory records refuse writes
 * (6982); a record's length must be the profile's (6700) and its tag equal P1 (6A80).
 *
 * <p>What the chip keeps without power (records, try counter, writes received) is its
 * {@link Snapshot}; {@link #onChange} is told after every command that changed it, and
 * {@link #restore} makes the card again from one.
 */
public final class SimulatedCard implements VirtualCard {
    /** Tries of the card key when new. */
    public static final int MAX_TRIES = 3;
    /** Card number found on an {@link CardFaults#alreadyIssued() already issued} card. */
    public static final String PREVIOUS_CARD_NUMBER = "Z00000001";

    private static final byte[] ATR_T1 = {0x3B, (byte) 0x80, (byte) 0x80, 0x01, 0x01};
    private static final byte[] ATR_T0 = {0x3B, 0x02, 0x14, 0x50};

    private final byte[] identificationCode;
    private final byte[] key;
    private final CardFaults faults;
    private final Random random;
    private final Map<ChipFile, TreeMap<Integer, byte[]>> records = new EnumMap<>(ChipFile.class);

    private int triesLeft = MAX_TRIES;
    private int writes;
    private Application selectedApp;
    private ChipFile currentEf;
    private Application authenticated;
    private byte[] challenge;
    private byte[] pendingResponse;
    private volatile Runnable onChange = () -> { };

    /**
     * What the chip keeps without power: its identification code and faults (as made), every
     * record written (read only; values without tag and length), the try counter and the number of
     * UPDATE RECORD commands received (the faults count them).
     */
    public record Snapshot(byte[] identificationCode, CardFaults faults, Map<ChipFile, Map<Integer, byte[]>> records,
                           int triesLeft, int writes) {
        public Snapshot {
            identificationCode = identificationCode.clone();
            java.util.Objects.requireNonNull(faults, "faults");
            Map<ChipFile, Map<Integer, byte[]>> copy = new EnumMap<>(ChipFile.class);
            records.forEach((f, recs) -> {
                TreeMap<Integer, byte[]> r = new TreeMap<>();
                recs.forEach((n, v) -> r.put(n, v.clone()));
                copy.put(f, java.util.Collections.unmodifiableSortedMap(r));
            });
            records = java.util.Collections.unmodifiableMap(copy);
            if (triesLeft < 0 || triesLeft > MAX_TRIES || writes < 0) {
                throw new IllegalArgumentException("tries 0.." + MAX_TRIES + ", writes >= 0");
            }
        }

        /** Whether EF05 record 7 (card number) exists: the card was issued. */
        public boolean issued() {
            return records.getOrDefault(ChipFile.EF05, Map.of()).containsKey(7);
        }
    }

    /**
     * A blank card as it comes from the factory: identification code and the card key
     * diversified from the test master key, with the given faults.
     */
    public SimulatedCard(byte[] identificationCode, CardFaults faults) {
        this(identificationCode, faults, IssuerCrypto.TEST_MASTER_KEY, new SecureRandom());
    }

    /** As above with another master key and a source of challenges (tests can make them repeatable). */
    public SimulatedCard(byte[] identificationCode, CardFaults faults, byte[] masterKey, Random random) {
        if (identificationCode.length != ChipProfile.ID_CODE_LENGTH) {
            throw new IllegalArgumentException("identification code is 16 bytes");
        }
        this.identificationCode = identificationCode.clone();
        this.faults = faults;
        this.random = random;
        this.key = IssuerCrypto.diversify(masterKey, ChipProfile.diversifier(identificationCode));
        for (ChipFile f : ChipFile.values()) {
            records.put(f, new TreeMap<>());
        }
        records.get(ChipFile.EF05).put(1, identificationCode.clone());
        records.get(ChipFile.EF05).put(3, "3.00".getBytes(StandardCharsets.US_ASCII));
        if (faults.alreadyIssued()) {
            records.get(ChipFile.EF05).put(5, new byte[] {0x20, 0x20, 0x01, 0x01});
            records.get(ChipFile.EF05).put(6, new byte[] {0x20, 0x30, 0x01, 0x01});
            records.get(ChipFile.EF05).put(7, PREVIOUS_CARD_NUMBER.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A blank card without faults. */
    public static SimulatedCard blank(byte[] identificationCode) {
        return new SimulatedCard(identificationCode, CardFaults.none());
    }

    public byte[] identificationCode() {
        return identificationCode.clone();
    }

    /** The card again as {@code saved} holds it (test master key, fresh challenges). */
    public static SimulatedCard restore(Snapshot saved) {
        SimulatedCard c = new SimulatedCard(saved.identificationCode(), saved.faults());
        synchronized (c) {
            for (ChipFile f : ChipFile.values()) {
                c.records.get(f).clear();
                saved.records().getOrDefault(f, Map.of()).forEach((n, v) -> c.records.get(f).put(n, v.clone()));
            }
            c.triesLeft = saved.triesLeft();
            c.writes = saved.writes();
        }
        return c;
    }

    /** What the chip keeps without power, now. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(identificationCode, faults, new EnumMap<>(records), triesLeft, writes);
    }

    /**
     * {@code listener} runs after each command that changed the {@link Snapshot} (a write, a wrong
     * cryptogram), outside the card's lock, before the command's answer is returned.
     */
    public void onChange(Runnable listener) {
        onChange = java.util.Objects.requireNonNull(listener, "listener");
    }

    public CardFaults faults() {
        return faults;
    }

    public synchronized int triesLeft() {
        return triesLeft;
    }

    /** UPDATE RECORD commands received so far. */
    public synchronized int writeCount() {
        return writes;
    }

    /** A record's value (without tag and length), if present. */
    public synchronized Optional<byte[]> record(ChipFile file, int number) {
        return Optional.ofNullable(records.get(file).get(number)).map(byte[]::clone);
    }

    /** Whether EF05 record 7 (card number) exists. */
    public synchronized boolean isIssued() {
        return records.get(ChipFile.EF05).containsKey(7);
    }

    @Override
    public byte[] atr() {
        return (faults.t0() ? ATR_T0 : ATR_T1).clone();
    }

    @Override
    public synchronized void reset() {
        selectedApp = null;
        currentEf = null;
        authenticated = null;
        challenge = null;
        pendingResponse = null;
    }

    @Override
    public byte[] process(byte[] c) {
        int before;
        synchronized (this) {
            before = writes * 8 + triesLeft;
        }
        try {
            return processLocked(c);
        } finally {
            boolean changed;
            synchronized (this) {
                changed = writes * 8 + triesLeft != before;
            }
            if (changed) {
                onChange.run();
            }
        }
    }

    private synchronized byte[] processLocked(byte[] c) {
        if (c.length < 4) {
            return sw(0x6700);
        }
        int cla = c[0] & 0xFF;
        int ins = c[1] & 0xFF;
        byte[] pending = pendingResponse;
        pendingResponse = null;
        if (ins == 0xC0) {
            return getResponse(c, pending);
        }
        if (cla != 0x00) {
            return sw(0x6E00);
        }
        Body b = Body.parse(c);
        if (b == null) {
            return sw(0x6700);
        }
        return switch (ins) {
            case 0xA4 -> select(c, b);
            case 0xB2 -> readRecord(c, b);
            case 0xDC -> updateRecord(c, b);
            case 0x84 -> getChallenge(c, b);
            case 0x82 -> externalAuthenticate(c, b);
            default -> sw(0x6D00);
        };
    }

    /** Lc data and Le of a short command APDU. */
    private record Body(byte[] data, int le) {
        static Body parse(byte[] c) {
            if (c.length == 4) {
                return new Body(new byte[0], -1);
            }
            if (c.length == 5) {
                return new Body(new byte[0], c[4] & 0xFF);
            }
            int lc = c[4] & 0xFF;
            if (lc == 0) {
                return null; // extended length: not in this profile
            }
            if (c.length == 5 + lc) {
                return new Body(Arrays.copyOfRange(c, 5, 5 + lc), -1);
            }
            if (c.length == 6 + lc) {
                return new Body(Arrays.copyOfRange(c, 5, 5 + lc), c[c.length - 1] & 0xFF);
            }
            return null;
        }
    }

    private byte[] select(byte[] c, Body b) {
        int p1 = c[2] & 0xFF;
        if (p1 == 0x04) {
            // any SELECT by name, even a failing one, drops selection, security state and challenge
            selectedApp = null;
            currentEf = null;
            authenticated = null;
            challenge = null;
            if (Arrays.equals(b.data(), ChipProfile.SSSE_AID) && !faults.noSsseApp()) {
                selectedApp = Application.SSSE;
                return sw(0x9000);
            }
            if (Arrays.equals(b.data(), ChipProfile.TRANSIT_AID) && !faults.noTransitApp()) {
                selectedApp = Application.TRANSIT;
                return sw(0x9000);
            }
            return sw(0x6A82);
        }
        if (p1 == 0x02) {
            if (b.data().length != 2) {
                return sw(0x6700);
            }
            int fid = ((b.data()[0] & 0xFF) << 8) | (b.data()[1] & 0xFF);
            for (ChipFile f : ChipFile.values()) {
                if (f.fileId() == fid && f.application() == selectedApp) {
                    currentEf = f;
                    return sw(0x9000);
                }
            }
            return sw(0x6A82);
        }
        return sw(0x6A86);
    }

    private byte[] readRecord(byte[] c, Body b) {
        if ((c[3] & 0xFF) != 0x04) {
            return sw(0x6A86);
        }
        if (b.data().length != 0) {
            return sw(0x6700);
        }
        if (currentEf == null) {
            return sw(0x6986);
        }
        int rec = c[2] & 0xFF;
        byte[] v = records.get(currentEf).get(rec);
        if (v == null) {
            return sw(0x6A83);
        }
        byte[] tlv = new byte[v.length + 2];
        tlv[0] = (byte) rec;
        tlv[1] = (byte) v.length;
        System.arraycopy(v, 0, tlv, 2, v.length);
        return respond(tlv, b.le());
    }

    private byte[] updateRecord(byte[] c, Body b) {
        writes++;
        if (faults.removeOnWrite() == writes) {
            throw new CardPulledSignal();
        }
        if (faults.failWrite() == writes) {
            return sw(0x6581);
        }
        if ((c[3] & 0xFF) != 0x04) {
            return sw(0x6A86);
        }
        if (currentEf == null) {
            return sw(0x6986);
        }
        int rec = c[2] & 0xFF;
        if (authenticated == null || authenticated != selectedApp || currentEf.isFactoryRecord(rec)) {
            return sw(0x6982);
        }
        byte[] d = b.data();
        if (d.length < 2) {
            return sw(0x6700);
        }
        if ((d[0] & 0xFF) != rec) {
            return sw(0x6A80);
        }
        int len = currentEf.recordLength(rec);
        if (len < 0) {
            return sw(0x6A83);
        }
        if ((d[1] & 0xFF) != len || d.length != len + 2) {
            return sw(0x6700);
        }
        byte[] value = Arrays.copyOfRange(d, 2, d.length);
        if (faults.corruptWrite() == writes) {
            value[value.length - 1] ^= 0x01;
        }
        records.get(currentEf).put(rec, value);
        return sw(0x9000);
    }

    private byte[] getChallenge(byte[] c, Body b) {
        if (c[2] != 0 || c[3] != 0) {
            return sw(0x6A86);
        }
        if (b.le() != 8) {
            return b.le() == 0 && faults.t0() ? sw(0x6C08) : sw(0x6700);
        }
        byte[] r = new byte[8];
        random.nextBytes(r);
        challenge = r;
        return respond(faults.shortChallenge() ? Arrays.copyOf(r, 4) : r.clone(), faults.shortChallenge() ? 4 : 8);
    }

    private byte[] externalAuthenticate(byte[] c, Body b) {
        if (c[2] != 0 || (c[3] & 0xFF) != ChipProfile.CARD_KEY) {
            return sw(0x6A86);
        }
        if (b.data().length != 8) {
            return sw(0x6700);
        }
        if (triesLeft == 0) {
            return sw(0x6983);
        }
        byte[] r = challenge;
        challenge = null; // good for one EXTERNAL AUTHENTICATE
        if (r == null) {
            return sw(0x6985);
        }
        if (Arrays.equals(IssuerCrypto.cryptogram(key, r), b.data())) {
            triesLeft = MAX_TRIES;
            authenticated = selectedApp;
            return sw(0x9000);
        }
        triesLeft--;
        authenticated = null;
        return sw(0x63C0 | triesLeft);
    }

    private byte[] getResponse(byte[] c, byte[] pending) {
        if (pending == null) {
            return sw(0x6985);
        }
        int le = c.length == 5 ? c[4] & 0xFF : 0;
        if (le != pending.length) {
            pendingResponse = pending;
            return sw(0x6C00 | pending.length);
        }
        return withSw(pending, 0x9000);
    }

    /**
     * Data out: with T=0 behaviour Le=00 gets 6Cxx and an exact Le gets 61xx (then GET RESPONSE);
     * otherwise Le=00 or exact gets the data, another Le 6Cxx.
     */
    private byte[] respond(byte[] data, int le) {
        if (le != 0 && le != -1 && le != data.length) {
            return sw(0x6C00 | data.length);
        }
        if (faults.t0()) {
            if (le == 0 || le == -1) {
                return sw(0x6C00 | data.length);
            }
            pendingResponse = data;
            return sw(0x6100 | data.length);
        }
        return withSw(data, 0x9000);
    }

    private static byte[] withSw(byte[] data, int sw) {
        byte[] r = Arrays.copyOf(data, data.length + 2);
        r[data.length] = (byte) (sw >> 8);
        r[data.length + 1] = (byte) sw;
        return r;
    }

    private static byte[] sw(int sw) {
        return new byte[] {(byte) (sw >> 8), (byte) sw};
    }

    @Override
    public String toString() {
        return "SimulatedCard[" + cardterm.devices.pcsc.Apdu.hex(identificationCode) + (faults.isNone() ? "" : ", " + faults) + "]";
    }
}
