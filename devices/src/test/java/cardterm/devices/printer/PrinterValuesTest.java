package cardterm.devices.printer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cardterm.bridge.ecl.EclErrorCode;
import cardterm.devices.health.HealthReason;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PrinterValuesTest {

    @Test
    void everyWireErrorCodeHasTheSameNamedPrinterErrorCode() {
        for (EclErrorCode wire : EclErrorCode.values()) {
            assertThat(PrinterErrorCode.of(wire).name()).isEqualTo(wire.name());
        }
        assertThat(PrinterErrorCode.values()).hasSameSizeAs(EclErrorCode.values());
    }

    @Test
    void statusLinesParseAndPrint() {
        assertThat(PrinterStatus.parse("READY;")).isEqualTo(PrinterStatus.of(PrinterState.READY));
        PrinterStatus s = PrinterStatus.parse("ERROR;JAM,CARD_IN_STATION,SOMETHING_NEW");
        assertThat(s.flags()).containsExactlyInAnyOrder(PrinterFlag.JAM, PrinterFlag.CARD_IN_STATION);
        assertThat(s.toWire()).isEqualTo("ERROR;JAM,CARD_IN_STATION");
        assertThat(s.canStartJob()).isFalse();
        assertThat(PrinterStatus.parse("WARNING;RIBBON_LOW").canStartJob()).isTrue();
        assertThatThrownBy(() -> PrinterStatus.parse("READY")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrinterStatus.parse("ecl-sim 1.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrinterStatus.parse("HAPPY;")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void suppliesLinesParse() {
        assertThat(Supplies.parse("ribbon=YMCKO;left=250;printed=12;rejected=1"))
                .isEqualTo(new Supplies(RibbonType.YMCKO, 250, 12, 1));
        assertThatThrownBy(() -> Supplies.parse("ribbon=YMCKO;left=250")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Supplies.parse("ribbon=Z;left=1;printed=1;rejected=1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Supplies.parse("READY;")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Supplies.parse("ribbon=K;left=x;printed=1;rejected=1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flagsMapToHealthWithTheWorstFirst() {
        assertThat(PrinterHealth.of(PrinterStatus.parse("READY;CARD_IN_STATION")))
                .isEqualTo(new PrinterHealth.Verdict(HealthReason.OK, ""));
        assertThat(PrinterHealth.of(PrinterStatus.parse("ERROR;COVER_OPEN,JAM,RIBBON_LOW")))
                .isEqualTo(new PrinterHealth.Verdict(HealthReason.JAM, "JAM, COVER_OPEN, RIBBON_LOW"));
        assertThat(PrinterHealth.of(PrinterStatus.parse("ERROR;COVER_OPEN")).reason()).isEqualTo(HealthReason.COVER_OPEN);
        assertThat(PrinterHealth.of(PrinterStatus.parse("ERROR;HEAD_TEMP")).reason()).isEqualTo(HealthReason.DEVICE_ERROR);
        for (String f : new String[] {"FEEDER_EMPTY", "RIBBON_ENDED", "NO_RIBBON", "REJECT_BOX_FULL"}) {
            assertThat(PrinterHealth.of(PrinterStatus.parse("ERROR;" + f)).reason()).isEqualTo(HealthReason.SUPPLY_EMPTY);
        }
        assertThat(PrinterHealth.of(PrinterStatus.parse("WARNING;FEEDER_NEAR_EMPTY")).reason())
                .isEqualTo(HealthReason.SUPPLY_LOW);
        assertThat(PrinterHealth.of(PrinterStatus.parse("WARNING;RIBBON_LOW,CLEANING_DUE")).reason())
                .isEqualTo(HealthReason.SUPPLY_LOW);
        assertThat(PrinterHealth.of(PrinterStatus.parse("WARNING;HOPPER_FULL")).reason())
                .isEqualTo(HealthReason.MAINTENANCE_DUE);
        assertThat(PrinterHealth.of(PrinterStatus.parse("BUSY;")).reason()).isEqualTo(HealthReason.OK);
    }

    @Test
    void supplyEventsAreRealChanges() {
        Instant now = Instant.parse("2026-11-26T02:00:00Z");
        assertThat(new SupplyEvent("printer", Supply.FEEDER, SupplyLevel.OK, SupplyLevel.LOW, "", now).kind())
                .isEqualTo(SupplyEvent.Kind.REPLENISHED);
        assertThat(new SupplyEvent("printer", Supply.RIBBON, SupplyLevel.EMPTY, SupplyLevel.UNKNOWN, "", now).kind())
                .isEqualTo(SupplyEvent.Kind.EMPTY);
        assertThatThrownBy(() -> new SupplyEvent("printer", Supply.FEEDER, SupplyLevel.LOW, SupplyLevel.LOW, "", now))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SupplyEvent("printer", Supply.FEEDER, SupplyLevel.OK, SupplyLevel.UNKNOWN, "", now))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
