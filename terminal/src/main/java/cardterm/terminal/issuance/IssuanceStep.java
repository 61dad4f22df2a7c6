package cardterm.terminal.issuance;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The steps of an issuance job (printer-protocol.md's issuance order), the one list the journal and
 * the hub's events share. A step has up to two spellings, each defined here only:
 * <ul>
 *   <li>its {@linkplain #journalName() journal name}: the device operation whose start and end the
 *       {@link IssuanceJournal} records ({@code card-feed}); also the name of the crash-test probe
 *       points ({@code card-feed.started}). Stored in existing databases, so never renamed;</li>
 *   <li>its {@linkplain #wireName() wire name}: the point a job reached, as {@code issuance.step}
 *       and {@code issuance.failed} name it (hub-contract.md: {@code card-fed}).</li>
 * </ul>
 * Operations with no milestone of their own ({@link #CHECK}, {@link #RECORD}, {@link #REJECT}, ...)
 * have no wire name; {@link #QUEUED} and {@link #VERIFY} are milestones with no journaled
 * operation (the journal's one {@link #CHIP} step both writes and reads back).
 */
public enum IssuanceStep {
    /** The job as a whole: its start (RUNNING) and end (final state and code). */
    JOB("job", null),
    /** Still waiting in the queue: a job that fails here never had a card fed. */
    QUEUED(null, "queued"),
    /** {@code Rst}: the printer ready check. */
    CHECK("printer-check", null),
    /** {@code Sic}: a card into the encoder. */
    FEED("card-feed", "card-fed"),
    /** Personalization of the chip (writes and read-back verify). */
    CHIP("chip", "chip-written"),
    /** One UPDATE RECORD (detail: the record, e.g. {@code EF05/5}). */
    RECORD("record", null),
    /** Every written record read back equal. */
    VERIFY(null, "chip-verified"),
    /** The card face rendered and printed. */
    PRINT("print", "printed"),
    /** {@code Eo}: the card out to the citizen. */
    EJECT("eject", "ejected"),
    /** {@code Er}: the card to the reject box. */
    REJECT("reject", null),
    /** A cancel of the running job was asked (detail: by whom). */
    CANCEL("cancel", null);

    private final String journalName;
    private final String wireName;

    IssuanceStep(String journalName, String wireName) {
        this.journalName = journalName;
        this.wireName = wireName;
    }

    /** Whether the journal records this step's start and end. */
    public boolean journaled() {
        return journalName != null;
    }

    /** Whether events name this step. */
    public boolean onWire() {
        return wireName != null;
    }

    /** The name in the journal ({@code card-feed}); only for {@linkplain #journaled() journaled} steps. */
    public String journalName() {
        if (journalName == null) {
            throw new IllegalStateException(this + " is not a journaled step");
        }
        return journalName;
    }

    /** The name in events ({@code card-fed}); only for steps {@linkplain #onWire() on the wire}. */
    public String wireName() {
        if (wireName == null) {
            throw new IllegalStateException(this + " is not a step events name");
        }
        return wireName;
    }

    /** The step a journal line names; throws for a name the journal never wrote. */
    public static IssuanceStep ofJournal(String name) {
        return Arrays.stream(values()).filter(s -> name.equals(s.journalName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown journal step " + name));
    }

    /** The step an event names, if any. */
    public static Optional<IssuanceStep> ofWire(String name) {
        return Arrays.stream(values()).filter(s -> name.equals(s.wireName)).findFirst();
    }

    /** The steps events name, in the order a job reaches them (the contract's {@code step} enum). */
    public static List<IssuanceStep> milestones() {
        return Arrays.stream(values()).filter(IssuanceStep::onWire).toList();
    }
}
