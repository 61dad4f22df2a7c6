package cardterm.devices.printer.sim;

import cardterm.bridge.ecl.EclCommand;
import cardterm.bridge.ecl.EclErrorCode;
import cardterm.bridge.ecl.EclResponse;
import cardterm.devices.printer.CardDestination;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.Panel;
import cardterm.devices.printer.PrinterFlag;
import cardterm.devices.printer.PrinterState;
import cardterm.devices.printer.PrinterStatus;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.Supplies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The simulated ecl printer as a protocol model (the device side, not a {@code CardPrinter}): its
 * state machine exactly as printer-protocol.md describes it, fed one decoded command at a time,
 * with no threads, no I/O and no clock ({@link EclPrinterServer} serves it on a line). A mechanical command that is accepted returns a {@link Step}; the caller lets its
 * {@link Step#duration()} pass (scaled as it likes) and then calls {@link #complete(Step)} for the
 * answer, so the printer is BUSY in between. Fault methods change the physical state at any time.
 * Thread-safe (one lock).
 *
 * <p>What a real printer keeps across a power cycle (supplies, counters, the card inside and where
 * it is, cover and jam) is its {@link State}; {@link #persistTo} hands it to a sink at every change
 * a power cut could interrupt (a mechanical step starting and ending, a person's action), and
 * {@link #restore} powers a printer up in a saved state ({@link State#afterPowerCut()}).
 */
public final class EclPrinterModel {

    /**
     * Settings of a simulated printer.
     *
     * @param nearEmptyAt   FEEDER_NEAR_EMPTY when 1..this many cards are left
     * @param ribbonLowAt   RIBBON_LOW when 1..this many prints are left
     * @param rejectCapacity REJECT_BOX_FULL at this many rejected cards in the box
     * @param hopperCapacity HOPPER_FULL at this many cards in the output tray
     */
    public record Settings(String firmware, String serial, RibbonType ribbon, int ribbonLeft, int feederCards,
                           int nearEmptyAt, int ribbonLowAt, int rejectCapacity, int hopperCapacity) {
        public Settings {
            Objects.requireNonNull(firmware, "firmware");
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(ribbon, "ribbon");
            if (ribbonLeft < 0 || feederCards < 0 || nearEmptyAt < 0 || ribbonLowAt < 0
                    || rejectCapacity <= 0 || hopperCapacity <= 0) {
                throw new IllegalArgumentException("simulated printer counts must be positive");
            }
        }

        /** A colour printer: YMCKO ribbon with 250 prints, 100 blank cards. */
        public static Settings colour() {
            return new Settings("ecl-sim 1.0", "SIM-000001", RibbonType.YMCKO, 250, 100, 10, 20, 50, 100);
        }

        /** A mono printer: K ribbon with 1000 prints, 100 blank cards. */
        public static Settings mono() {
            return new Settings("ecl-sim 1.0", "SIM-000002", RibbonType.K, 1000, 100, 10, 20, 50, 100);
        }

        public Settings withRibbon(RibbonType type, int left) {
            return new Settings(firmware, serial, type, left, feederCards, nearEmptyAt, ribbonLowAt, rejectCapacity,
                    hopperCapacity);
        }

        public Settings withFeeder(int cards) {
            return new Settings(firmware, serial, ribbon, ribbonLeft, cards, nearEmptyAt, ribbonLowAt, rejectCapacity,
                    hopperCapacity);
        }
    }

    /** How long each mechanical step takes on a real printer (before the simulator's time scale). */
    public record Timings(Duration feed, Duration startSequence, Duration printColourSide, Duration printMonoSide,
                          Duration eject) {
        /** Feed 1.5 s, Ss 0.5 s, a colour side 15 s, a mono side 5 s, eject 1.5 s. */
        public static Timings realistic() {
            return new Timings(Duration.ofMillis(1500), Duration.ofMillis(500), Duration.ofSeconds(15),
                    Duration.ofSeconds(5), Duration.ofMillis(1500));
        }
    }

    /** What {@link #handle} decided: answer now, or run a mechanical step first. */
    sealed interface Outcome permits Answer, Step {
    }

    /** Answer at once. */
    record Answer(EclResponse response) implements Outcome {
    }

    /** A mechanical step was started (the printer is BUSY); call {@link #complete} after {@code duration}. */
    record Step(EclCommand command, Duration duration, long id) implements Outcome {
    }

    /**
     * What a printer keeps across a power cycle. {@code motion} is the mechanical step that was
     * running ({@code Sic}, {@code Ss}, {@code Se}, {@code Eo}, {@code Er}; empty for none) and
     * {@code motionSides} the sides an {@code Se} was printing; the downloaded panels, the print
     * sequence and {@code Pem} are volatile and not kept.
     *
     * @param cardInside    a card is in the printer (in the station or further on in the transport)
     * @param cardInStation that card is at the contact station (its chip is reachable)
     */
    public record State(int feeder, RibbonType ribbon, boolean ribbonLoaded, int ribbonLeft, boolean coverOpen,
                        boolean jam, boolean jamNeedsPerson, boolean jamClearing, int rejectBox, int hopper,
                        boolean cleaningDue, long printed, long rejected, boolean cardInside, boolean cardInStation,
                        boolean cardPrinted, String motion, int motionSides) {
        public State {
            Objects.requireNonNull(ribbon, "ribbon");
            Objects.requireNonNull(motion, "motion");
            if (feeder < 0 || ribbonLeft < 0 || rejectBox < 0 || hopper < 0 || printed < 0 || rejected < 0
                    || motionSides < 0 || motionSides > 2) {
                throw new IllegalArgumentException("printer state counts must not be negative");
            }
            if (!List.of("", "Sic", "Ss", "Se", "Eo", "Er").contains(motion)) {
                throw new IllegalArgumentException("not a mechanical step: " + motion);
            }
            if (cardInStation && !cardInside) {
                throw new IllegalArgumentException("a card in the station is inside the printer");
            }
        }

        /**
         * The state a power cut during {@code motion} leaves once power is back: the card stays
         * where the step left it. A feed cut short has taken the card from the feeder (a {@code Sic}
         * into the contact station, an {@code Ss} past it); a print cut short has used the ribbon
         * for its sides and marked the card; an eject cut short leaves the card inside.
         */
        public State afterPowerCut() {
            int f = feeder;
            int left = ribbonLeft;
            long p = printed;
            boolean inside = cardInside;
            boolean station = cardInStation;
            boolean marked = cardPrinted;
            switch (motion) {
                case "Sic", "Ss" -> {
                    if (!inside && f > 0) {
                        f--;
                        inside = true;
                        station = motion.equals("Sic");
                        marked = false;
                    }
                }
                case "Se" -> {
                    left = Math.max(0, left - motionSides);
                    if (inside && !marked) {
                        marked = true;
                        p++;
                    }
                }
                default -> {
                    // Eo, Er or nothing: the card (if any) is where it was
                }
            }
            return new State(f, ribbon, ribbonLoaded, left, coverOpen, jam, jamNeedsPerson, jamClearing, rejectBox,
                    hopper, cleaningDue, p, rejected, inside, station, marked, "", 0);
        }
    }

    private final Timings timings;
    private final List<EclPrinterModelListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Consumer<EclPrinterModelListener>> pending = new ArrayList<>();

    private final String firmware;
    private final String serial;
    private final int nearEmptyAt;
    private final int ribbonLowAt;
    private final int rejectCapacity;
    private final int hopperCapacity;

    // physical state
    private int feeder;
    private RibbonType ribbon;
    private boolean ribbonLoaded = true;
    private int ribbonLeft;
    private boolean coverOpen;
    private boolean coverOpenedDuringStep;
    private boolean jam;
    private boolean jamNeedsPerson;
    private boolean jamClearing;
    private boolean jamOnNextPrint;
    private boolean jamOnNextPrintNeedsPerson;
    private int rejectBox;
    private int hopper;
    private boolean headTemp;
    private boolean cleaningDue;
    private long printed;
    private long rejected;

    // the card and the job
    private boolean cardInside;
    private boolean cardInStation;
    private boolean cardPrinted;
    private boolean sequence;
    private final Map<CardSide, Map<Panel, byte[]>> downloaded = new EnumMap<>(CardSide.class);
    private Step running;
    private long nextStepId = 1;
    private boolean hostHandlesErrors;
    private Consumer<State> persistence; // guarded by this; called under the lock, in order of changes

    public EclPrinterModel(Settings settings, Timings timings) {
        Objects.requireNonNull(settings, "settings");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.firmware = settings.firmware();
        this.serial = settings.serial();
        this.nearEmptyAt = settings.nearEmptyAt();
        this.ribbonLowAt = settings.ribbonLowAt();
        this.rejectCapacity = settings.rejectCapacity();
        this.hopperCapacity = settings.hopperCapacity();
        this.feeder = settings.feederCards();
        this.ribbon = settings.ribbon();
        this.ribbonLeft = settings.ribbonLeft();
    }

    public EclPrinterModel(Settings settings) {
        this(settings, Timings.realistic());
    }

    public void addListener(EclPrinterModelListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ---------------------------------------------------------------- protocol

    /** Decides on one decoded command ({@code data} as {@link cardterm.bridge.ecl.EclCommandDecoder} gives it). */
    synchronized Outcome handle(EclCommand command, byte[] data) {
        String name = command.name();
        if (running != null) {
            if (name.equals("Rst") && command.args().isEmpty()) {
                return data(statusNow().toWire());
            }
            return err(EclErrorCode.BUSY, "a mechanical step is running");
        }
        Outcome outcome = switch (name) {
            case "Rfv" -> noArgs(command) ? data(firmware) : badArgs();
            case "Rsn" -> noArgs(command) ? data(serial) : badArgs();
            case "Rst" -> noArgs(command) ? data(statusNow().toWire()) : badArgs();
            case "Rsp" -> noArgs(command) ? data(suppliesNow().toWire()) : badArgs();
            case "Pem" -> pem(command);
            case "Sic" -> noArgs(command) ? feed(command) : badArgs();
            case "Ss" -> noArgs(command) ? startSequence(command) : badArgs();
            case "Db" -> download(command, data);
            case "Se" -> noArgs(command) ? print(command) : badArgs();
            case "Eo" -> noArgs(command) ? eject(command) : badArgs();
            case "Er" -> noArgs(command) ? reject(command) : badArgs();
            default -> err(EclErrorCode.UNKNOWN_COMMAND, "unknown command " + name);
        };
        if (outcome instanceof Step) {
            changed(); // a card may start moving: a power cut from now on finds it in motion
        }
        return outcome;
    }

    /** The answer to a junk line. */
    Answer framingError(String reason) {
        return err(EclErrorCode.FRAMING, reason);
    }

    /** Ends the running mechanical step and gives its answer; events go to the listeners after. */
    EclResponse complete(Step step) {
        EclResponse r;
        synchronized (this) {
            if (running == null || running.id() != step.id()) {
                throw new IllegalStateException("step " + step + " is not running");
            }
            running = null;
            boolean coverTrouble = coverOpen || coverOpenedDuringStep;
            coverOpenedDuringStep = false;
            if (coverTrouble) {
                sequence = false;
                downloaded.clear();
                r = EclResponse.Err.of(EclErrorCode.COVER_OPEN, "cover opened during " + step.command().name());
            } else {
                r = switch (step.command().name()) {
                    case "Sic" -> completeFeed();
                    case "Ss" -> completeSequence();
                    case "Se" -> completePrint();
                    case "Eo" -> completeEject(CardDestination.OUTPUT_TRAY);
                    case "Er" -> completeEject(CardDestination.REJECT_BOX);
                    default -> throw new IllegalStateException("not a step: " + step.command());
                };
            }
            changed();
        }
        deliver();
        return r;
    }

    private Outcome pem(EclCommand command) {
        if (!command.args().equals(List.of("2"))) {
            return badArgs();
        }
        hostHandlesErrors = true;
        return ok();
    }

    private Outcome feed(EclCommand command) {
        if (cardInside) {
            return err(EclErrorCode.SEQUENCE, "a card is already inside");
        }
        Outcome blocked = blockedByCoverOrJam();
        if (blocked != null) {
            return blocked;
        }
        if (feeder == 0) {
            return err(EclErrorCode.FEEDER_EMPTY, "no card in the feeder");
        }
        return start(command, timings.feed());
    }

    private EclResponse completeFeed() {
        feeder--;
        cardInside = true;
        cardInStation = true;
        cardPrinted = false;
        pending.add(EclPrinterModelListener::cardEnteredStation);
        return EclResponse.Ok.INSTANCE;
    }

    private Outcome startSequence(EclCommand command) {
        Outcome blocked = blockedByCoverOrJam();
        if (blocked != null) {
            return blocked;
        }
        Outcome noRibbon = blockedByRibbon(1);
        if (noRibbon != null) {
            return noRibbon;
        }
        if (!cardInside && feeder == 0) {
            return err(EclErrorCode.FEEDER_EMPTY, "no card in the feeder");
        }
        Duration d = cardInside ? timings.startSequence() : timings.startSequence().plus(timings.feed());
        return start(command, d);
    }

    private EclResponse completeSequence() {
        if (!cardInside) {
            feeder--;
            cardInside = true;
            cardInStation = false;
            cardPrinted = false;
        }
        sequence = true;
        downloaded.clear();
        return EclResponse.Ok.INSTANCE;
    }

    private Outcome download(EclCommand command, byte[] data) {
        if (data == null) {
            return err(EclErrorCode.BAD_ARGS, "expected Db;<panel>;<side>;<bytes>");
        }
        if (!sequence) {
            return err(EclErrorCode.SEQUENCE, "no print sequence started (Ss)");
        }
        Panel panel;
        CardSide side;
        try {
            panel = Panel.ofCode(command.args().get(0));
        } catch (IllegalArgumentException e) {
            return err(EclErrorCode.BAD_ARGS, "unknown panel");
        }
        side = switch (command.args().get(1)) {
            case "front" -> CardSide.FRONT;
            case "back" -> CardSide.BACK;
            default -> null;
        };
        if (side == null) {
            return err(EclErrorCode.BAD_ARGS, "side must be front or back");
        }
        if (!ribbon.panels().contains(panel)) {
            return err(EclErrorCode.BAD_ARGS, "panel " + panel.code() + " is not on a " + ribbon + " ribbon");
        }
        if (data.length != panel.byteCount()) {
            return err(EclErrorCode.BAD_ARGS, "panel " + panel.code() + " takes " + panel.byteCount() + " bytes");
        }
        downloaded.computeIfAbsent(side, s -> new EnumMap<>(Panel.class)).put(panel, data);
        return ok();
    }

    private Outcome print(EclCommand command) {
        if (!sequence || !cardInside) {
            return err(EclErrorCode.SEQUENCE, "no print sequence started (Ss)");
        }
        if (downloaded.isEmpty()) {
            return err(EclErrorCode.SEQUENCE, "nothing downloaded");
        }
        for (Map.Entry<CardSide, Map<Panel, byte[]>> e : downloaded.entrySet()) {
            Set<Panel> needed = needed(e.getKey());
            if (!e.getValue().keySet().containsAll(needed)) {
                EnumSet<Panel> missing = EnumSet.copyOf(needed);
                missing.removeAll(e.getValue().keySet());
                return err(EclErrorCode.SEQUENCE, "missing panels for " + e.getKey().code() + ": "
                        + missing.stream().map(Panel::code).toList());
            }
        }
        Outcome blocked = blockedByCoverOrJam();
        if (blocked != null) {
            return blocked;
        }
        if (headTemp) {
            return err(EclErrorCode.HEAD_TEMP, "print head temperature out of range");
        }
        Outcome noRibbon = blockedByRibbon(downloaded.size());
        if (noRibbon != null) {
            return noRibbon;
        }
        Duration perSide = ribbon == RibbonType.YMCKO ? timings.printColourSide() : timings.printMonoSide();
        return start(command, perSide.multipliedBy(downloaded.size()));
    }

    /** A YMCKO ribbon needs every panel on the front and at least k on the back; a K ribbon only k. */
    private Set<Panel> needed(CardSide side) {
        if (ribbon == RibbonType.YMCKO && side == CardSide.FRONT) {
            return EnumSet.copyOf(RibbonType.YMCKO.panels());
        }
        return EnumSet.of(Panel.K);
    }

    private EclResponse completePrint() {
        int sides = downloaded.size();
        ribbonLeft = Math.max(0, ribbonLeft - sides);
        Map<CardSide, Map<Panel, byte[]>> done = new EnumMap<>(downloaded);
        downloaded.clear();
        sequence = false;
        if (jamOnNextPrint) {
            jamOnNextPrint = false;
            jam = true;
            jamNeedsPerson = jamOnNextPrintNeedsPerson;
            return EclResponse.Err.of(EclErrorCode.JAM, "card jammed while printing");
        }
        if (!cardPrinted) {
            cardPrinted = true;
            printed++;
        }
        RibbonType r = ribbon;
        for (Map.Entry<CardSide, Map<Panel, byte[]>> e : done.entrySet()) {
            Map<Panel, byte[]> panels = Collections.unmodifiableMap(new EnumMap<>(e.getValue()));
            CardSide side = e.getKey();
            pending.add(l -> l.sidePrinted(side, r, panels));
        }
        return EclResponse.Ok.INSTANCE;
    }

    private Outcome eject(EclCommand command) {
        if (!cardInside) {
            return err(EclErrorCode.NO_CARD, "no card in the printer");
        }
        if (jam) {
            return err(EclErrorCode.JAM, "a jammed card never goes to the output tray");
        }
        if (coverOpen) {
            return err(EclErrorCode.COVER_OPEN, "cover is open");
        }
        return start(command, timings.eject());
    }

    private Outcome reject(EclCommand command) {
        if (!cardInside) {
            return err(EclErrorCode.NO_CARD, "no card in the printer");
        }
        if (coverOpen) {
            return err(EclErrorCode.COVER_OPEN, "cover is open");
        }
        if (jam && jamNeedsPerson) {
            return err(EclErrorCode.JAM, "jam needs a person: open and close the cover");
        }
        if (rejectBox >= rejectCapacity) {
            return err(EclErrorCode.REJECT_BOX_FULL, "reject box is full");
        }
        return start(command, timings.eject());
    }

    private EclResponse completeEject(CardDestination to) {
        if (to == CardDestination.REJECT_BOX) {
            jam = false;
            jamNeedsPerson = false;
            rejectBox++;
            rejected++;
        } else {
            hopper++;
        }
        cardOut(to);
        return EclResponse.Ok.INSTANCE;
    }

    private void cardOut(CardDestination to) {
        boolean wasInStation = cardInStation;
        boolean wasPrinted = cardPrinted;
        cardInside = false;
        cardInStation = false;
        cardPrinted = false;
        sequence = false;
        downloaded.clear();
        if (wasInStation) {
            pending.add(l -> l.cardLeftStation(to));
        }
        pending.add(l -> l.cardEjected(to, wasPrinted));
    }

    private Outcome blockedByCoverOrJam() {
        if (coverOpen) {
            return err(EclErrorCode.COVER_OPEN, "cover is open");
        }
        if (jam) {
            return err(EclErrorCode.JAM, "card jam");
        }
        return null;
    }

    private Outcome blockedByRibbon(int prints) {
        if (!ribbonLoaded) {
            return err(EclErrorCode.NO_RIBBON, "no ribbon loaded");
        }
        if (ribbonLeft < prints) {
            return err(EclErrorCode.RIBBON_ENDED, "ribbon ended");
        }
        return null;
    }

    private Outcome start(EclCommand command, Duration d) {
        running = new Step(command, d, nextStepId++);
        coverOpenedDuringStep = false;
        return running;
    }

    private static boolean noArgs(EclCommand c) {
        return c.args().isEmpty();
    }

    private static Answer ok() {
        return new Answer(EclResponse.Ok.INSTANCE);
    }

    private static Answer data(String line) {
        return new Answer(new EclResponse.Data(line));
    }

    private static Answer err(EclErrorCode code, String text) {
        return new Answer(EclResponse.Err.of(code, text));
    }

    private static Answer badArgs() {
        return err(EclErrorCode.BAD_ARGS, "bad arguments");
    }

    // ---------------------------------------------------------------- state as the printer reports it

    /** What {@code Rst} would answer now. */
    public synchronized PrinterStatus statusNow() {
        EnumSet<PrinterFlag> f = EnumSet.noneOf(PrinterFlag.class);
        if (feeder == 0) {
            f.add(PrinterFlag.FEEDER_EMPTY);
        } else if (feeder <= nearEmptyAt) {
            f.add(PrinterFlag.FEEDER_NEAR_EMPTY);
        }
        if (!ribbonLoaded) {
            f.add(PrinterFlag.NO_RIBBON);
        } else if (ribbonLeft == 0) {
            f.add(PrinterFlag.RIBBON_ENDED);
        } else if (ribbonLeft <= ribbonLowAt) {
            f.add(PrinterFlag.RIBBON_LOW);
        }
        if (coverOpen) {
            f.add(PrinterFlag.COVER_OPEN);
        }
        if (jam) {
            f.add(PrinterFlag.JAM);
        }
        if (rejectBox >= rejectCapacity) {
            f.add(PrinterFlag.REJECT_BOX_FULL);
        }
        if (hopper >= hopperCapacity) {
            f.add(PrinterFlag.HOPPER_FULL);
        }
        if (headTemp) {
            f.add(PrinterFlag.HEAD_TEMP);
        }
        if (cleaningDue) {
            f.add(PrinterFlag.CLEANING_DUE);
        }
        if (cardInStation) {
            f.add(PrinterFlag.CARD_IN_STATION);
        }
        PrinterState state;
        if (running != null) {
            state = PrinterState.BUSY;
        } else if (jam || coverOpen || !ribbonLoaded || ribbonLeft == 0 || headTemp || rejectBox >= rejectCapacity
                || (feeder == 0 && !cardInside)) {
            state = PrinterState.ERROR;
        } else if (f.stream().anyMatch(x -> x != PrinterFlag.CARD_IN_STATION)) {
            state = PrinterState.WARNING;
        } else {
            state = PrinterState.READY;
        }
        return new PrinterStatus(state, f);
    }

    /** What {@code Rsp} would answer now (with no ribbon loaded: the last type, 0 left). */
    public synchronized Supplies suppliesNow() {
        return new Supplies(ribbon, ribbonLoaded ? ribbonLeft : 0, printed, rejected);
    }

    public synchronized boolean isBusy() {
        return running != null;
    }

    /** The name of the mechanical step running ({@code Se}...), if any. */
    public synchronized java.util.Optional<String> runningStep() {
        return java.util.Optional.ofNullable(running).map(s -> s.command().name());
    }

    public synchronized boolean cardInside() {
        return cardInside;
    }

    public synchronized boolean cardInStation() {
        return cardInStation;
    }

    public synchronized int feederCards() {
        return feeder;
    }

    public synchronized int rejectBoxCards() {
        return rejectBox;
    }

    public synchronized int outputTrayCards() {
        return hopper;
    }

    /** True once {@code Pem;2} was received. */
    public synchronized boolean hostHandlesErrors() {
        return hostHandlesErrors;
    }

    // ---------------------------------------------------------------- across power cycles

    /** What the printer would keep if the power went now. */
    public synchronized State state() {
        String motion = running == null ? "" : running.command().name();
        int sides = motion.equals("Se") ? downloaded.size() : 0;
        return new State(feeder, ribbon, ribbonLoaded, ribbonLeft, coverOpen, jam, jamNeedsPerson, jamClearing,
                rejectBox, hopper, cleaningDue, printed, rejected, cardInside, cardInStation, cardPrinted, motion,
                sides);
    }

    /**
     * Powers the printer up in {@code saved} (as {@link State#afterPowerCut()} leaves it): no step
     * running, no print sequence, no {@code Pem}; injected faults to come are forgotten. Listeners
     * hear nothing (no card moved); a sink set by {@link #persistTo} gets the new state.
     */
    public synchronized void restore(State saved) {
        State s = saved.afterPowerCut();
        running = null;
        coverOpenedDuringStep = false;
        sequence = false;
        downloaded.clear();
        hostHandlesErrors = false;
        jamOnNextPrint = false;
        headTemp = false;
        feeder = s.feeder();
        ribbon = s.ribbon();
        ribbonLoaded = s.ribbonLoaded();
        ribbonLeft = s.ribbonLeft();
        coverOpen = s.coverOpen();
        jam = s.jam();
        jamNeedsPerson = s.jamNeedsPerson();
        jamClearing = s.jamClearing();
        rejectBox = s.rejectBox();
        hopper = s.hopper();
        cleaningDue = s.cleaningDue();
        printed = s.printed();
        rejected = s.rejected();
        cardInside = s.cardInside();
        cardInStation = s.cardInStation();
        cardPrinted = s.cardPrinted();
        changed();
    }

    /**
     * Gives {@code sink} the {@link State} now and after every change of it, under the printer's
     * lock and before the answer of the step that made it goes out (so what a host heard done is
     * saved). The sink must not call back into this printer.
     */
    public synchronized void persistTo(Consumer<State> sink) {
        persistence = Objects.requireNonNull(sink, "sink");
        changed();
    }

    private void changed() {
        if (persistence != null) {
            persistence.accept(state());
        }
    }

    // ---------------------------------------------------------------- faults (a person or the world acting)

    /** Loads blank cards: {@code 0} empties the feeder, 1..near-empty threshold makes it near empty. */
    public synchronized void setFeederCards(int cards) {
        if (cards < 0) {
            throw new IllegalArgumentException("cards " + cards);
        }
        feeder = cards;
        changed();
    }

    /** Loads a ribbon of {@code type} with {@code left} prints (0 = ended, low threshold or less = low). */
    public synchronized void loadRibbon(RibbonType type, int left) {
        if (left < 0) {
            throw new IllegalArgumentException("left " + left);
        }
        ribbon = Objects.requireNonNull(type, "type");
        ribbonLeft = left;
        ribbonLoaded = true;
        changed();
    }

    /** Takes the ribbon out (NO_RIBBON). */
    public synchronized void removeRibbon() {
        ribbonLoaded = false;
        changed();
    }

    /** Opens the cover; a running step then fails with COVER_OPEN. Opening it is also how a person clears a jam. */
    public synchronized void openCover() {
        coverOpen = true;
        if (running != null) {
            coverOpenedDuringStep = true;
        }
        if (jam) {
            jamClearing = true;
        }
        changed();
    }

    /** Closes the cover; if it was opened on a jam, the jam is cleared and the card taken out by hand. */
    public void closeCover() {
        synchronized (this) {
            coverOpen = false;
            if (jamClearing) {
                jamClearing = false;
                jam = false;
                jamNeedsPerson = false;
                if (cardInside) {
                    cardOut(CardDestination.REMOVED_BY_HAND);
                }
            }
            changed();
        }
        deliver();
    }

    /**
     * Starts a card feed ({@code Sic}) as a host would, whose end never comes: the printer stays
     * BUSY with it (for a busy printer in tests).
     */
    public void beginEndlessFeed() {
        handle(EclCommand.SIC, null);
    }

    /**
     * The next {@code Se} jams: it answers {@code ERR;JAM}. Afterwards {@code Eo} is refused;
     * {@code Er} clears it, unless {@code needsPerson}: then only opening and closing the cover does.
     */
    public synchronized void jamOnNextPrint(boolean needsPerson) {
        jamOnNextPrint = true;
        jamOnNextPrintNeedsPerson = needsPerson;
    }

    /** Sets how many cards are in the reject box (capacity or more = REJECT_BOX_FULL). */
    public synchronized void setRejectBoxCards(int cards) {
        if (cards < 0) {
            throw new IllegalArgumentException("cards " + cards);
        }
        rejectBox = cards;
        changed();
    }

    /** Fills the reject box to its capacity. */
    public synchronized void fillRejectBox() {
        rejectBox = rejectCapacity;
        changed();
    }

    /** Empties the reject box. */
    public synchronized void emptyRejectBox() {
        rejectBox = 0;
        changed();
    }

    /** Empties the output tray (HOPPER_FULL goes). */
    public synchronized void emptyOutputTray() {
        hopper = 0;
        changed();
    }

    /** Print head temperature out of range (HEAD_TEMP: {@code Se} refused) or back to normal. */
    public synchronized void setHeadTemp(boolean outOfRange) {
        headTemp = outOfRange;
    }

    public synchronized void setCleaningDue(boolean due) {
        cleaningDue = due;
        changed();
    }

    private void deliver() {
        List<Consumer<EclPrinterModelListener>> events;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            events = new ArrayList<>(pending);
            pending.clear();
        }
        for (Consumer<EclPrinterModelListener> e : events) {
            for (EclPrinterModelListener l : listeners) {
                e.accept(l);
            }
        }
    }
}
