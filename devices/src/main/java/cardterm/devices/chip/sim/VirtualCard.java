package cardterm.devices.chip.sim;

/**
 * A card as its contacts see it: power, reset, ATR and APDUs. The simulated readers drive it in
 * process; the vpcd connector of the tests drives it through a real pcscd. Implementations are
 * thread-safe.
 */
public interface VirtualCard {

    /** Answer to reset. */
    byte[] atr();

    /**
     * Processes one command APDU; returns data then SW1 SW2.
     *
     * @throws CardPulledSignal when the card is to leave the reader right now (fault injection):
     *     the command gets no answer
     */
    byte[] process(byte[] command);

    /** Power on or reset: volatile state (selection, security state, challenge) is lost. */
    void reset();

    /** Power off: like {@link #reset()}. */
    default void powerOff() {
        reset();
    }

    /** Thrown by {@link #process} when an injected fault pulls the card mid-command. */
    final class CardPulledSignal extends RuntimeException {
        public CardPulledSignal() {
            super("card pulled (injected fault)", null, false, false);
        }
    }
}
