package cardterm.devices.chip.sim;

/**
 * Faults a simulated card is made with (fault injection for tests, demos and training):
 * <ul>
 *   <li>{@code alreadyIssued}: EF05 record 7 already holds a card number</li>
 *   <li>{@code noTransitApp}: no transit application (its SELECT answers 6A82)</li>
 *   <li>{@code noSsseApp}: not a social security card at all (SELECT SSSE answers 6A82)</li>
 *   <li>{@code failWrite}: the n-th UPDATE RECORD answers 6581 (0: never)</li>
 *   <li>{@code corruptWrite}: the n-th UPDATE RECORD answers 9000 but stores one bit flipped (0: never)</li>
 *   <li>{@code removeOnWrite}: the card is pulled on the n-th UPDATE RECORD, which gets no answer (0: never)</li>
 *   <li>{@code shortChallenge}: GET CHALLENGE answers 4 bytes instead of 8</li>
 *   <li>{@code t0}: T=0 behaviour: data comes as 61xx then GET RESPONSE, and Le=00 gets 6Cxx</li>
 * </ul>
 */
public record CardFaults(boolean alreadyIssued, boolean noTransitApp, boolean noSsseApp, int failWrite,
        int corruptWrite, int removeOnWrite, boolean shortChallenge, boolean t0) {
    private static final CardFaults NONE = new CardFaults(false, false, false, 0, 0, 0, false, false);

    public CardFaults {
        if (failWrite < 0 || corruptWrite < 0 || removeOnWrite < 0) {
            throw new IllegalArgumentException("write numbers count from 1 (0: never)");
        }
    }

    public static CardFaults none() {
        return NONE;
    }

    public CardFaults withAlreadyIssued() {
        return new CardFaults(true, noTransitApp, noSsseApp, failWrite, corruptWrite, removeOnWrite, shortChallenge, t0);
    }

    public CardFaults withoutTransitApp() {
        return new CardFaults(alreadyIssued, true, noSsseApp, failWrite, corruptWrite, removeOnWrite, shortChallenge, t0);
    }

    public CardFaults withoutSsseApp() {
        return new CardFaults(alreadyIssued, noTransitApp, true, failWrite, corruptWrite, removeOnWrite, shortChallenge, t0);
    }

    /** The n-th UPDATE RECORD (from 1) answers 6581. */
    public CardFaults withFailedWrite(int n) {
        return new CardFaults(alreadyIssued, noTransitApp, noSsseApp, n, corruptWrite, removeOnWrite, shortChallenge, t0);
    }

    /** The n-th UPDATE RECORD (from 1) stores other bytes than sent (read-back then differs). */
    public CardFaults withCorruptedWrite(int n) {
        return new CardFaults(alreadyIssued, noTransitApp, noSsseApp, failWrite, n, removeOnWrite, shortChallenge, t0);
    }

    /** The card leaves the reader on the n-th UPDATE RECORD (from 1). */
    public CardFaults withRemovalOnWrite(int n) {
        return new CardFaults(alreadyIssued, noTransitApp, noSsseApp, failWrite, corruptWrite, n, shortChallenge, t0);
    }

    public CardFaults withShortChallenge() {
        return new CardFaults(alreadyIssued, noTransitApp, noSsseApp, failWrite, corruptWrite, removeOnWrite, true, t0);
    }

    public CardFaults withT0() {
        return new CardFaults(alreadyIssued, noTransitApp, noSsseApp, failWrite, corruptWrite, removeOnWrite, shortChallenge, true);
    }

    public boolean isNone() {
        return equals(NONE);
    }
}
