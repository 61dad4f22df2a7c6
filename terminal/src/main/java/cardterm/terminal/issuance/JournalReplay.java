package cardterm.terminal.issuance;

import cardterm.terminal.issuance.IssuanceJournal.Entry;
import cardterm.terminal.issuance.IssuanceJournal.Phase;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a job's journal says about how far it got, pure: read after a crash to end the job
 * ({@link CrashRecovery}). A step counts as done only if its END was journaled with {@value #OK}.
 *
 * @param feedStarted {@code Sic} may have been sent: a card may be in the printer
 * @param recordsWritten records the card acknowledged, in order
 * @param recordInDoubt a record whose UPDATE RECORD may have been sent but was not acknowledged
 * @param ejectStarted {@code Eo} may have been sent (the completed event was stored before it)
 * @param ejectDone {@code Eo} was answered OK: the card went to the citizen
 * @param rejectStarted {@code Er} may have been sent
 * @param rejectDone {@code Er} was answered OK: the card is in the reject box
 */
public record JournalReplay(boolean feedStarted, boolean feedDone, boolean chipDone, List<String> recordsWritten,
        Optional<String> recordInDoubt, boolean printDone, boolean ejectStarted, boolean ejectDone,
        boolean rejectStarted, boolean rejectDone) {
    /** The detail of an END that succeeded. */
    public static final String OK = "ok";
    /** The detail of a REJECT of a card an earlier job left in the printer (not this job's card). */
    public static final String LEFTOVER = "leftover";

    public JournalReplay {
        recordsWritten = List.copyOf(recordsWritten);
    }

    public static JournalReplay of(List<Entry> entries) {
        boolean feedStarted = false;
        boolean feedDone = false;
        boolean chipDone = false;
        Set<String> started = new LinkedHashSet<>();
        List<String> written = new ArrayList<>();
        boolean printDone = false;
        boolean ejectStarted = false;
        boolean ejectDone = false;
        boolean rejectStarted = false;
        boolean rejectDone = false;
        boolean leftover = false;
        for (Entry e : entries) {
            boolean start = e.phase() == Phase.START;
            boolean ok = !start && OK.equals(e.detail());
            switch (e.step()) {
                case FEED -> {
                    feedStarted |= start;
                    feedDone |= ok;
                }
                case CHIP -> chipDone |= ok;
                case RECORD -> {
                    if (start) {
                        started.add(e.detail());
                    } else if (!written.contains(e.detail())) {
                        written.add(e.detail());
                    }
                }
                case PRINT -> printDone |= ok;
                case EJECT -> {
                    ejectStarted |= start;
                    ejectDone |= ok;
                }
                case REJECT -> {
                    if (start && LEFTOVER.equals(e.detail())) {
                        leftover = true; // an earlier job's card: its END is not this job's
                    } else if (leftover && !start) {
                        leftover = false;
                    } else {
                        rejectStarted |= start;
                        rejectDone |= ok;
                    }
                }
                default -> {
                }
            }
        }
        started.removeAll(written);
        return new JournalReplay(feedStarted, feedDone, chipDone, written, started.stream().findFirst(), printDone,
                ejectStarted, ejectDone, rejectStarted, rejectDone);
    }

    /** The step the job was trying to reach. */
    public IssuanceStep reached() {
        if (!feedDone) {
            return IssuanceStep.FEED;
        }
        if (!chipDone) {
            return recordsWritten.isEmpty() && recordInDoubt.isEmpty() ? IssuanceStep.CHIP : IssuanceStep.VERIFY;
        }
        if (!printDone) {
            return IssuanceStep.PRINT;
        }
        return IssuanceStep.EJECT;
    }

    /** {@link #reached()} as {@code issuance.failed} names it. */
    public String stepReached() {
        return reached().wireName();
    }
}
