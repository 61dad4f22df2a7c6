package cardterm.devices.printer;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code Rst} says: the state and the set of flags. Immutable.
 *
 * @param state the printer's state word
 * @param flags the flags set, possibly none
 */
public record PrinterStatus(PrinterState state, Set<PrinterFlag> flags) {

    public PrinterStatus {
        Objects.requireNonNull(state, "state");
        flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    public static PrinterStatus of(PrinterState state, PrinterFlag... flags) {
        return new PrinterStatus(state, flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags));
    }

    public boolean has(PrinterFlag flag) {
        return flags.contains(flag);
    }

    /** READY or WARNING: a job may start. */
    public boolean canStartJob() {
        return state == PrinterState.READY || state == PrinterState.WARNING;
    }

    /**
     * Parses an {@code Rst} answer, {@code <STATE>;<FLAG>,<FLAG>...}. Flags this host does not know
     * are ignored (a newer firmware may add some).
     *
     * @throws IllegalArgumentException when the line is not a status line
     */
    public static PrinterStatus parse(String line) {
        int semi = line.indexOf(';');
        if (semi < 0) {
            throw new IllegalArgumentException("not a status line");
        }
        PrinterState state;
        try {
            state = PrinterState.valueOf(line.substring(0, semi));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown printer state");
        }
        EnumSet<PrinterFlag> flags = EnumSet.noneOf(PrinterFlag.class);
        String rest = line.substring(semi + 1);
        if (!rest.isEmpty()) {
            for (String f : rest.split(",", -1)) {
                PrinterFlag flag = PrinterFlag.ofWire(f.strip());
                if (flag != null) {
                    flags.add(flag);
                }
            }
        }
        return new PrinterStatus(state, flags);
    }

    /** The wire form, {@code READY;} or {@code ERROR;JAM,CARD_IN_STATION} (flags in declaration order). */
    public String toWire() {
        return state + ";" + flags.stream().map(Enum::name).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return toWire();
    }
}
