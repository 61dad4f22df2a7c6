package cardterm.devices.printer;

import cardterm.devices.health.HealthReason;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pure mapping of printer flags to a health reason and message. Error flags first (a person must
 * act), then warnings; {@code CARD_IN_STATION} is no trouble.
 */
final class PrinterHealth {

    /** A health reason and the message to go with it. */
    public record Verdict(HealthReason reason, String message) {
    }

    private static final List<PrinterFlag> ORDER = List.of(
            PrinterFlag.JAM, PrinterFlag.COVER_OPEN, PrinterFlag.HEAD_TEMP,
            PrinterFlag.NO_RIBBON, PrinterFlag.RIBBON_ENDED, PrinterFlag.FEEDER_EMPTY, PrinterFlag.REJECT_BOX_FULL,
            PrinterFlag.RIBBON_LOW, PrinterFlag.FEEDER_NEAR_EMPTY,
            PrinterFlag.CLEANING_DUE, PrinterFlag.HOPPER_FULL);

    private PrinterHealth() {
    }

    /** The reason a status means, with a message listing the flags that matter. */
    public static Verdict of(PrinterStatus status) {
        List<PrinterFlag> trouble = ORDER.stream().filter(status::has).toList();
        if (trouble.isEmpty()) {
            return new Verdict(HealthReason.OK, "");
        }
        String message = trouble.stream().map(Enum::name).collect(Collectors.joining(", "));
        return new Verdict(reasonOf(trouble.get(0)), message);
    }

    static HealthReason reasonOf(PrinterFlag flag) {
        return switch (flag) {
            case JAM -> HealthReason.JAM;
            case COVER_OPEN -> HealthReason.COVER_OPEN;
            case HEAD_TEMP -> HealthReason.DEVICE_ERROR;
            case NO_RIBBON, RIBBON_ENDED, FEEDER_EMPTY, REJECT_BOX_FULL -> HealthReason.SUPPLY_EMPTY;
            case RIBBON_LOW, FEEDER_NEAR_EMPTY -> HealthReason.SUPPLY_LOW;
            case CLEANING_DUE, HOPPER_FULL -> HealthReason.MAINTENANCE_DUE;
            case CARD_IN_STATION -> HealthReason.OK;
        };
    }
}
