package cardterm.terminal.diagnose;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.MonitoredDevice;
import cardterm.devices.pcsc.CardReader;
import cardterm.devices.printer.EclPrinter;
import cardterm.devices.printer.PrinterStatus;
import cardterm.terminal.hardware.TerminalDevices;
import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.health.HealthMonitor;
import cardterm.terminal.hub.HubLink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The self-test of a running terminal (the hub's {@code diagnose} command): the same checks as
 * {@code cardterm selftest}, but through the devices the service already holds: their health, a
 * live SAM command, the printer's last status, the hub link's state.
 */
public final class ServiceSelfTest {
    private ServiceSelfTest() {}

    public static SelfTest of(TerminalConfig config, TerminalDevices devices, HealthMonitor health, HubLink hub,
            Clock clock, Duration perCheck) {
        SelfTest t = new SelfTest(perCheck);
        t.add(Checks.CONFIG, "", () -> CheckResult.pass(Checks.CONFIG, "loaded: terminal " + config.terminal().site()
                + "/" + config.terminal().id()));
        t.add(Checks.DATA_DIR, "the data directory does not answer: a failing SD card? check dmesg",
                () -> Checks.dataDir(config.terminal().dataDir()));
        t.add(Checks.READERS, "pcscd does not answer: systemctl restart pcscd", () -> {
            Map<String, DeviceHealth> h = health.devices();
            List<CheckResult> rs = new ArrayList<>();
            for (MonitoredDevice r : devices.readers()) {
                rs.add(Checks.fromHealth(Checks.READERS, r.deviceId(), h.getOrDefault(r.deviceId(), r.health()),
                        "plug the reader in; check pcscd (systemctl status pcscd) and reader.card/reader.sam"));
            }
            return merge(Checks.READERS, rs);
        });
        t.add(Checks.SAM, "the SAM does not answer: reseat it; systemctl restart pcscd", () -> {
            Optional<CardReader> sam = devices.readers().stream().filter(r -> r.deviceId().equals("reader.sam"))
                    .filter(CardReader.class::isInstance).map(CardReader.class::cast).findFirst();
            return sam.map(Checks::sam).orElseGet(() -> CheckResult.fail(Checks.SAM, "no SAM reader in this terminal",
                    "configure reader.sam"));
        });
        t.add(Checks.PRINTER, "the printer does not answer: switch it off and on; check the cable", () -> {
            DeviceHealth ph = devices.printer().health();
            if (devices.printer() instanceof EclPrinter ecl && ecl.lastStatus() != null) {
                PrinterStatus s = ecl.lastStatus();
                CheckResult r = Checks.printer(s, Optional.ofNullable(ecl.lastSupplies()));
                if (!r.passed() || ph.state() == cardterm.devices.health.DeviceState.ONLINE
                        || ph.state() == cardterm.devices.health.DeviceState.DEGRADED) {
                    return r;
                }
            }
            return Checks.fromHealth(Checks.PRINTER, devices.printer().deviceId(), ph,
                    "check the printer is on and its cable plugged in, and printer.port in the config");
        });
        t.add(Checks.BUTTONS, "GPIO does not answer", () -> {
            AssistConfig assist = config.assist();
            if (assist.buttons().isEmpty()) {
                return CheckResult.pass(Checks.BUTTONS, "no buttons configured");
            }
            Map<String, DeviceHealth> h = health.devices();
            List<CheckResult> rs = new ArrayList<>();
            for (AssistConfig.ButtonConfig b : assist.buttons()) {
                rs.add(Checks.fromHealth(Checks.BUTTONS, b.id(), h.get(b.id()),
                        "check the wiring of pin " + b.wiring().buttonPin() + ", gpio.chip, and group gpio"));
            }
            return merge(Checks.BUTTONS, rs);
        });
        t.add(Checks.BROKER, "", () -> {
            HubLink.Status s = hub.status();
            return s.connected()
                    ? CheckResult.pass(Checks.BROKER, "connected to " + s.serverUri() + " since " + s.since())
                    : CheckResult.fail(Checks.BROKER, "not connected: " + s.reason(),
                            "check the network, hub.uri and the credentials");
        });
        t.add(Checks.CLOCK, "", () -> Checks.clock(clock, Checks.ntpSynchronized()));
        t.add(Checks.FONT, "", () -> Checks.font(config.issuance().cardFont()));
        return t;
    }

    /** Several results of one check as one: passed when all did; the hints of the failures joined. */
    static CheckResult merge(String check, List<CheckResult> rs) {
        List<String> details = rs.stream().map(CheckResult::detail).toList();
        List<String> hints = rs.stream().filter(r -> !r.passed()).map(CheckResult::hint).distinct().toList();
        return hints.isEmpty() ? CheckResult.pass(check, String.join("; ", details))
                : CheckResult.fail(check, String.join("; ", details), String.join("; ", hints));
    }
}
