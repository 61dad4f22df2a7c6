package cardterm.devices.chip.sim;

import cardterm.devices.chip.ChipPersonalizer;
import cardterm.devices.chip.ChipProfile;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The simulated encoder and SAM slot of one terminal ({@code reader.card}, {@code reader.sam}),
 * with an endless stock of blank cards, each with a unique identification code of region
 * {@code 33 03 00} (Wenzhou). The SAM slot holds a SAM with the test key from the start.
 *
 * <p>The simulated printer calls {@link #insertBlankCard()} when it moves a card into the encoder
 * and {@link #removeCard()} when it ejects or rejects it. Faults: {@link #setNextCardFaults} (the
 * next blank card only), {@link #setSamKeyWrong}, and the readers' own
 * {@link SimulatedReader#setUnplugged} / {@link SimulatedReader#setServiceDown}.
 *
 * <pre>{@code
 * SimulatedReaderPair sim = new SimulatedReaderPair(Clock.systemUTC());
 * sim.setNextCardFaults(CardFaults.none().withFailedWrite(2));
 * sim.insertBlankCard();
 * ChipResult r = sim.personalizer().personalize(data);   // CARD_WRITE_FAILED, written [EF05/5]
 * sim.removeCard();
 * }</pre>
 *
 * <p>Its {@link State} (the stock's next serial and faults, the card in the encoder with what was
 * written on it) goes to the sink {@link #persistTo} sets at every change: a card in or out, a
 * chip command that changed the card; {@link #restore} puts a saved one back.
 */
public final class SimulatedReaderPair implements AutoCloseable {
    public static final String CARD_DEVICE_ID = "reader.card";
    public static final String SAM_DEVICE_ID = "reader.sam";
    /** Default name of the simulated encoder (as the terminal's simulation config names it). */
    public static final String CARD_READER_NAME = "Simulated Card Encoder 00";
    /** Default name of the simulated SAM reader. */
    public static final String SAM_READER_NAME = "Simulated SAM Reader 00";
    /** Bytes 3-7 of every simulated identification code (a made-up issuing batch). */
    private static final byte[] BATCH = {0x00, 0x00, 0x20, 0x26, 0x01};

    private final SimulatedReader cardReader;
    private final SimulatedReader samReader;
    private long nextSerial;
    private CardFaults nextFaults = CardFaults.none();
    private int blanksUsed;
    private Consumer<State> persistence; // guarded by this

    /**
     * The stock of blank cards and the encoder's card, as kept across restarts.
     *
     * @param cardInEncoder the card in the encoder, or null
     */
    public record State(long nextSerial, int blanksUsed, CardFaults nextFaults, SimulatedCard.Snapshot cardInEncoder) {
        public State {
            Objects.requireNonNull(nextFaults, "nextFaults");
            if (blanksUsed < 0) {
                throw new IllegalArgumentException("blanksUsed " + blanksUsed);
            }
        }
    }

    /** A pair whose blank cards are numbered from serial 1. */
    public SimulatedReaderPair(Clock clock) {
        this(clock, 1);
    }

    public SimulatedReaderPair(Clock clock, long firstSerial) {
        this(clock, CARD_READER_NAME, SAM_READER_NAME, firstSerial);
    }

    /** A pair with the given reader names, blank cards numbered from {@code firstSerial}. */
    public SimulatedReaderPair(Clock clock, String cardReaderName, String samReaderName, long firstSerial) {
        Objects.requireNonNull(clock, "clock");
        this.cardReader = new SimulatedReader(CARD_DEVICE_ID, cardReaderName, clock);
        this.samReader = new SimulatedReader(SAM_DEVICE_ID, samReaderName, clock);
        this.nextSerial = firstSerial;
        samReader.insert(SimulatedSam.withTestKey());
        cardReader.addCardListener((id, present) -> changed());
    }

    public SimulatedReader cardReader() {
        return cardReader;
    }

    public SimulatedReader samReader() {
        return samReader;
    }

    /** A personalizer on this pair. */
    public ChipPersonalizer personalizer() {
        return new ChipPersonalizer(cardReader, samReader);
    }

    /**
     * Takes the next blank card from the stock (with the faults set for it, if any) and puts it
     * into the encoder. Throws {@link IllegalStateException} if a card is in the encoder already.
     */
    public synchronized SimulatedCard insertBlankCard() {
        if (cardReader.isCardPresent()) {
            throw new IllegalStateException("the encoder already holds a card");
        }
        SimulatedCard card = new SimulatedCard(nextIdentificationCode(), nextFaults);
        nextFaults = CardFaults.none();
        blanksUsed++;
        card.onChange(this::changed);
        cardReader.insert(card);
        return card;
    }

    /** The stock and the encoder's card now. */
    public synchronized State state() {
        return new State(nextSerial, blanksUsed, nextFaults,
                cardInEncoder().map(SimulatedCard::snapshot).orElse(null));
    }

    /**
     * Puts the pair back in {@code saved}: the stock goes on from its serial, and the encoder holds
     * the saved card (as written) or none.
     */
    public synchronized void restore(State saved) {
        cardReader.remove();
        nextSerial = saved.nextSerial();
        blanksUsed = saved.blanksUsed();
        nextFaults = saved.nextFaults();
        if (saved.cardInEncoder() != null) {
            SimulatedCard card = SimulatedCard.restore(saved.cardInEncoder());
            card.onChange(this::changed);
            cardReader.insert(card);
        }
        changed();
    }

    /**
     * Gives {@code sink} the {@link State} now and after each change (called on the thread that
     * made it, under this pair's lock, before a chip command's answer is returned).
     */
    public synchronized void persistTo(Consumer<State> sink) {
        persistence = Objects.requireNonNull(sink, "sink");
        changed();
    }

    private synchronized void changed() {
        if (persistence != null) {
            persistence.accept(state());
        }
    }

    /** Takes the card out of the encoder (ejected or rejected), if there is one. */
    public synchronized Optional<SimulatedCard> removeCard() {
        return cardReader.remove().map(SimulatedCard.class::cast);
    }

    /** The card in the encoder, if any. */
    public Optional<SimulatedCard> cardInEncoder() {
        return cardReader.card().map(SimulatedCard.class::cast);
    }

    /** Faults of the next blank card {@link #insertBlankCard()} takes (that card only). */
    public synchronized void setNextCardFaults(CardFaults faults) {
        nextFaults = Objects.requireNonNull(faults, "faults");
        changed();
    }

    /** Swaps the SAM for one with a wrong key (the card then answers 63Cx), or back to the test key. */
    public synchronized void setSamKeyWrong(boolean wrong) {
        samReader.remove();
        samReader.insert(wrong ? SimulatedSam.withWrongKey() : SimulatedSam.withTestKey());
    }

    /** Blank cards taken from the stock so far. */
    public synchronized int blanksUsed() {
        return blanksUsed;
    }

    private byte[] nextIdentificationCode() {
        ByteBuffer b = ByteBuffer.allocate(ChipProfile.ID_CODE_LENGTH);
        b.put(ChipProfile.REGION_WENZHOU).put(BATCH).putLong(nextSerial++);
        return b.array();
    }

    @Override
    public void close() {
        cardReader.close();
        samReader.close();
    }
}
