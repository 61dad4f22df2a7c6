package cardterm.terminal.config;

import cardterm.devices.check.Problems;
import cardterm.devices.gpio.GpioSettings;
import cardterm.devices.printer.PrinterSettings;
import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.config.TerminalConfig.Logging;
import cardterm.terminal.config.TerminalConfig.Readers;
import cardterm.terminal.config.TerminalConfig.Terminal;
import cardterm.terminal.health.HealthSettings;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.issuance.IssuanceSettings;
import cardterm.terminal.staff.StaffRegistry;
import cardterm.terminal.store.OutboxSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * Maps the (environment-overlaid) tree to {@link TerminalConfig}: one small mapper per section
 * ({@link TerminalSection}, {@link HubSection}, {@link OutboxSection}, {@link HealthSection},
 * {@link ReaderSection}, {@link PrinterSection}, {@link GpioSection}, {@link AssistSection},
 * {@link IssuanceSection}, {@link LoggingSection}) over one typed reader ({@link ConfigReader}).
 * Every section is mapped even when an earlier one has problems, so every problem is reported;
 * the config is made only when there are none.
 */
final class ConfigMapper {
    private ConfigMapper() {
    }

    /** The config, or null when {@code problems} got at least one problem (from here or before). */
    static TerminalConfig map(ObjectNode root, Map<String, String> envOrigin, Path baseDir, boolean checkFiles,
            Problems problems) {
        ConfigReader r = new ConfigReader(problems, envOrigin, baseDir, checkFiles);
        int mark = r.mark();
        Section s = r.root(root);
        Terminal terminal = TerminalSection.map(r, s.section("terminal"));
        HubSettings hub = HubSection.map(r, s.section("hub"), terminal);
        OutboxSettings outbox = OutboxSection.map(r, s.section("outbox"), terminal);
        HealthSettings health = HealthSection.map(r, s.section("health"));
        Readers readers = ReaderSection.map(r, s.section("reader"));
        PrinterSettings printer = PrinterSection.map(r, s.section("printer"));
        GpioSettings gpio = GpioSection.map(r, s.section("gpio"));
        AssistConfig assist = AssistSection.map(r, s);
        IssuanceSettings issuance = IssuanceSection.map(r, s.section("issuance"));
        Logging logging = LoggingSection.map(r, s.section("logging"));
        StaffRegistry staff = StaffSection.map(r, s, assist);
        TerminalConfig.Console console = ConsoleSection.map(r, s.section("console"));
        if (!r.cleanSince(mark)) {
            return null;
        }
        return new TerminalConfig(terminal, hub, outbox, health, readers, printer, gpio,
                StaffSection.withSupervisors(assist, staff), issuance, logging, staff, console);
    }
}
