package cardterm.terminal.issuance;

import cardterm.devices.chip.ChipData;
import cardterm.devices.chip.ChipOutcome;
import cardterm.devices.chip.ChipPersonalizer;
import cardterm.devices.chip.ChipResult;
import cardterm.devices.health.MonitoredDevice;
import cardterm.devices.pcsc.ApduChannel;
import cardterm.devices.pcsc.CardConnection;
import cardterm.devices.pcsc.CardReader;
import cardterm.devices.pcsc.CardRemovedException;
import cardterm.devices.pcsc.NoCardException;
import cardterm.devices.pcsc.SmartCardException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The encoder and the SAM as issuance uses them: personalizes a card with the {@code ssse-basic}
 * profile and tells a {@link WriteListener} before and after each UPDATE RECORD the card
 * acknowledged, so the journal knows which records a card holds even when the process dies in the
 * middle. Also counts the time spent waiting on the card and the SAM.
 */
public interface ChipStation {

    /** Told, on the personalizing thread, of each record write; may block (it journals durably). */
    interface WriteListener {
        /** An UPDATE RECORD of {@code record} ({@code EF05/5}) is about to be sent. */
        void writing(String record);

        /** The card acknowledged the write of {@code record} (9000). */
        void written(String record);

        WriteListener NONE = new WriteListener() {
            @Override
            public void writing(String record) {
            }

            @Override
            public void written(String record) {
            }
        };
    }

    /** Personalizes the card in the encoder; never throws for card trouble. */
    ChipResult personalize(ChipData data, WriteListener listener, DeviceTime time);

    /**
     * The station on the terminal's readers: the {@link CardReader}s with device ids {@code reader.card}
     * and {@code reader.sam} among {@code readers}, or, when there are none such, {@code fallback}
     * (which cannot report record by record).
     */
    static ChipStation of(List<? extends MonitoredDevice> readers, ChipPersonalizer fallback) {
        Optional<CardReader> card = readers.stream().filter(r -> r instanceof CardReader && r.deviceId().equals("reader.card"))
                .map(CardReader.class::cast).findFirst();
        Optional<CardReader> sam = readers.stream().filter(r -> r instanceof CardReader && r.deviceId().equals("reader.sam"))
                .map(CardReader.class::cast).findFirst();
        if (card.isPresent() && sam.isPresent()) {
            return of(card.get(), sam.get());
        }
        Objects.requireNonNull(fallback, "fallback");
        return (data, listener, time) -> {
            long t0 = System.nanoTime();
            try {
                return fallback.personalize(data);
            } finally {
                time.add(System.nanoTime() - t0);
            }
        };
    }

    /** The station on two readers. */
    static ChipStation of(CardReader cardReader, CardReader samReader) {
        Objects.requireNonNull(cardReader, "cardReader");
        Objects.requireNonNull(samReader, "samReader");
        return (data, listener, time) -> {
            CardConnection card;
            long t0 = System.nanoTime();
            try {
                card = cardReader.connect();
            } catch (NoCardException e) {
                return fail(ChipOutcome.NO_CARD, e.getMessage());
            } catch (CardRemovedException e) {
                return fail(ChipOutcome.CARD_REMOVED, e.getMessage());
            } catch (SmartCardException e) {
                return fail(ChipOutcome.READER_UNAVAILABLE, e.getMessage());
            } finally {
                time.add(System.nanoTime() - t0);
            }
            try (card) {
                CardConnection sam;
                long t1 = System.nanoTime();
                try {
                    sam = samReader.connect();
                } catch (SmartCardException e) {
                    return fail(ChipOutcome.SAM_FAILED, "SAM: " + e.getMessage());
                } finally {
                    time.add(System.nanoTime() - t1);
                }
                try (sam) {
                    return ChipPersonalizer.personalize(new Observed(card, listener, time), new Timed(sam, time), data);
                }
            }
        };
    }

    private static ChipResult fail(ChipOutcome outcome, String detail) {
        return new ChipResult(outcome, detail, List.of(), null, OptionalInt.empty());
    }

    /** Time spent waiting on devices, added up across threads. */
    final class DeviceTime {
        private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

        public void add(long n) {
            nanos.addAndGet(Math.max(0, n));
        }

        public long nanos() {
            return nanos.get();
        }
    }

    /** A channel that only counts time. */
    final class Timed implements ApduChannel {
        private final ApduChannel inner;
        private final DeviceTime time;

        Timed(ApduChannel inner, DeviceTime time) {
            this.inner = inner;
            this.time = time;
        }

        @Override
        public byte[] transceive(byte[] command) {
            long t0 = System.nanoTime();
            try {
                return inner.transceive(command);
            } finally {
                time.add(System.nanoTime() - t0);
            }
        }

        @Override
        public void close() {
            // the connection is closed by its owner
        }
    }

    /**
     * The card's channel, watching SELECT by file id and UPDATE RECORD to tell the listener which
     * record is written (labels as {@code ChipRecord.label()}: {@code EF05/5}).
     */
    final class Observed implements ApduChannel {
        private final ApduChannel inner;
        private final WriteListener listener;
        private final DeviceTime time;
        private String currentEf;

        Observed(ApduChannel inner, WriteListener listener, DeviceTime time) {
            this.inner = inner;
            this.listener = listener;
            this.time = time;
        }

        @Override
        public byte[] transceive(byte[] c) {
            String record = null;
            if (c.length >= 4) {
                int ins = c[1] & 0xFF;
                int p1 = c[2] & 0xFF;
                if (ins == 0xA4 && p1 == 0x04) {
                    currentEf = null;
                } else if (ins == 0xA4 && p1 == 0x02 && c.length >= 7 && (c[4] & 0xFF) == 2) {
                    currentEf = "EF" + HexFormat.of().withUpperCase().toHexDigits(c[6] & 0xFF, 2);
                    if ((c[5] & 0xFF) != 0xEF) {
                        currentEf = HexFormat.of().withUpperCase().formatHex(c, 5, 7);
                    }
                } else if (ins == 0xDC) {
                    record = (currentEf == null ? "EF??" : currentEf) + "/" + p1;
                }
            }
            if (record != null) {
                listener.writing(record);
            }
            long t0 = System.nanoTime();
            byte[] r;
            try {
                r = inner.transceive(c);
            } finally {
                time.add(System.nanoTime() - t0);
            }
            if (record != null && r.length >= 2 && (r[r.length - 2] & 0xFF) == 0x90 && r[r.length - 1] == 0) {
                listener.written(record);
            }
            return r;
        }

        @Override
        public void close() {
            // the connection is closed by its owner
        }
    }
}
