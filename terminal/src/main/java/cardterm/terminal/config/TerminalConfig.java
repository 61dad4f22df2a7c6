package cardterm.terminal.config;

import cardterm.devices.gpio.ActiveLevel;
import cardterm.devices.gpio.GpioSettings;
import cardterm.devices.gpio.Pull;
import cardterm.devices.pcsc.ReaderSelector;
import cardterm.devices.printer.PrinterSettings;
import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.health.HealthSettings;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.issuance.IssuanceSettings;
import cardterm.terminal.staff.StaffRegistry;
import cardterm.terminal.store.OutboxSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The whole configuration of one counter terminal, as read from {@code terminal.yaml} (see
 * {@link ConfigLoader}) or made for {@code simulate} ({@link #forSimulation}): each section is the
 * settings its part takes as it is ({@link HubSettings}, {@link OutboxSettings},
 * {@link AssistConfig}, {@link IssuanceSettings}, the devices' settings, ...), so nothing converts
 * between a config model and the parts. Immutable; the loader has checked every value, and each
 * part's settings checked themselves, before this is made.
 */
public record TerminalConfig(
        Terminal terminal,
        HubSettings hub,
        OutboxSettings outbox,
        HealthSettings health,
        Readers readers,
        PrinterSettings printer,
        GpioSettings gpio,
        AssistConfig assist,
        IssuanceSettings issuance,
        Logging logging,
        StaffRegistry staff,
        Console console) {

    /** Pattern of terminal, site, button and post names: {@link cardterm.terminal.Ids#SEGMENT}. */
    public static final Pattern NAME = cardterm.terminal.Ids.SEGMENT;
    /** Pattern of staff ids: {@code [A-Za-z0-9-]{1,32}}. */
    public static final Pattern STAFF_ID = Pattern.compile("[A-Za-z0-9-]{1,32}");

    /** Terminal id in {@link #forSimulation}. */
    public static final String SIM_TERMINAL_ID = "sim-01";
    /** Site in {@link #forSimulation}. */
    public static final String SIM_SITE = "sim";
    /** Card encoder reader name in {@link #forSimulation}. */
    public static final String SIM_CARD_READER = "Simulated Card Encoder 00";
    /** SAM reader name in {@link #forSimulation}. */
    public static final String SIM_SAM_READER = "Simulated SAM Reader 00";
    /** Printer port in {@link #forSimulation}: where the simulated printer listens. */
    public static final String SIM_PRINTER_PORT = "tcp://127.0.0.1:9100";
    /** File name of the command key that {@link #forSimulation} writes into its work dir. */
    public static final String SIM_COMMAND_KEY_FILE = "command.key";

    public TerminalConfig {
        Objects.requireNonNull(terminal, "terminal");
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(readers, "readers");
        Objects.requireNonNull(printer, "printer");
        Objects.requireNonNull(gpio, "gpio");
        Objects.requireNonNull(assist, "assist");
        Objects.requireNonNull(issuance, "issuance");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(staff, "staff");
        Objects.requireNonNull(console, "console");
    }

    /** A config without a staff registry (the posts' and supervisors' ids are known) and the default console. */
    public TerminalConfig(Terminal terminal, HubSettings hub, OutboxSettings outbox, HealthSettings health,
            Readers readers, PrinterSettings printer, GpioSettings gpio, AssistConfig assist,
            IssuanceSettings issuance, Logging logging) {
        this(terminal, hub, outbox, health, readers, printer, gpio, assist, issuance, logging,
                StaffSection.idsOf(assist), Console.DEFAULT);
    }

    /** A copy with another staff registry (and the assistance calls' supervisors joined with its supervisors). */
    public TerminalConfig withStaff(StaffRegistry s) {
        return new TerminalConfig(terminal, hub, outbox, health, readers, printer, gpio,
                StaffSection.withSupervisors(assist, s), issuance, logging, s, console);
    }

    /** A copy with another {@code console} section. */
    public TerminalConfig withConsole(Console c) {
        return new TerminalConfig(terminal, hub, outbox, health, readers, printer, gpio, assist, issuance, logging,
                staff, c);
    }

    /** A copy with another {@code hub} section. */
    public TerminalConfig withHub(HubSettings h) {
        return new TerminalConfig(terminal, h, outbox, health, readers, printer, gpio, assist, issuance, logging, staff, console);
    }

    /** A copy with another {@code health} section. */
    public TerminalConfig withHealth(HealthSettings h) {
        return new TerminalConfig(terminal, hub, outbox, h, readers, printer, gpio, assist, issuance, logging, staff, console);
    }

    /** A copy with another {@code printer} section. */
    public TerminalConfig withPrinter(PrinterSettings p) {
        return new TerminalConfig(terminal, hub, outbox, health, readers, p, gpio, assist, issuance, logging, staff, console);
    }

    /** A copy with other assistance call settings (posts, supervisors, buttons, timings). */
    public TerminalConfig withAssist(AssistConfig a) {
        return new TerminalConfig(terminal, hub, outbox, health, readers, printer, gpio, a, issuance, logging,
                staff.hasMembers() ? staff : StaffSection.idsOf(a), console);
    }

    /** A copy with another {@code issuance} section. */
    public TerminalConfig withIssuance(IssuanceSettings i) {
        return new TerminalConfig(terminal, hub, outbox, health, readers, printer, gpio, assist, i, logging, staff, console);
    }

    /**
     * A complete, valid configuration for {@code cardterm simulate}: terminal {@code sim-01} at
     * site {@code sim}, data under {@code workDir/data}, the hub at {@code hubUri} without TLS or
     * password, simulated readers ({@link #SIM_CARD_READER}, {@link #SIM_SAM_READER}) and printer
     * ({@link #SIM_PRINTER_PORT}), GPIO provider {@code mock}, buttons {@code call-1} ("wheelchair
     * counter") and {@code call-2} ("waiting seats") on post {@code hall} (A: S1001, S1002;
     * B: S2001), supervisor S9001, every other value at its default.
     *
     * <p>The command key file {@code workDir/command.key} must exist for the config to be valid:
     * this method creates {@code workDir} and writes a fresh random key there when the file is
     * missing (an existing one is kept, so a hub simulator can read it).
     *
     * @throws UncheckedIOException when the work dir or key file cannot be written
     */
    public static TerminalConfig forSimulation(Path workDir, String hubUri) {
        Path dir = workDir.toAbsolutePath().normalize();
        Path keyFile = dir.resolve(SIM_COMMAND_KEY_FILE);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(keyFile)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.writeString(keyFile, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // not a POSIX file system: keep the default permissions
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the simulation command key " + keyFile, e);
        }
        HubSettings hub = HubSection.defaults(SIM_SITE, SIM_TERMINAL_ID)
                .uri(hubUri)
                .commandKeyFile(keyFile)
                .build();
        List<AssistConfig.ButtonConfig> buttons = List.of(
                new AssistConfig.ButtonConfig("call-1", "wheelchair counter", "hall",
                        new AssistConfig.Wiring(17, 27, 22, Pull.UP, ActiveLevel.LOW, ActiveLevel.HIGH)),
                new AssistConfig.ButtonConfig("call-2", "waiting seats", "hall",
                        new AssistConfig.Wiring(5, 6, 13, Pull.UP, ActiveLevel.LOW, ActiveLevel.HIGH)));
        AssistConfig assist = new AssistConfig(buttons,
                Map.of("hall", new AssistConfig.Post(List.of("S1001", "S1002"), List.of("S2001"))),
                List.of("S9001"), AssistSection.DEFAULT_TIMING);
        return new TerminalConfig(
                new Terminal(SIM_TERMINAL_ID, SIM_SITE, dir.resolve("data"), Terminal.DEFAULT_TIME_ZONE),
                hub,
                OutboxSection.defaults(SIM_SITE, SIM_TERMINAL_ID),
                HealthSettings.DEFAULT,
                new Readers(ReaderSelector.of(SIM_CARD_READER), ReaderSelector.of(SIM_SAM_READER)),
                PrinterSettings.of(PrinterSettings.Port.parse(SIM_PRINTER_PORT).orElseThrow()),
                new GpioSettings(GpioSettings.Provider.MOCK, GpioSettings.DEFAULT_CHIP),
                assist,
                IssuanceSettings.DEFAULT,
                Logging.DEFAULT,
                StaffSection.simulationStaff(),
                Console.DEFAULT);
    }

    /**
     * {@code console}: the counter console's web server. Listening on anything but the loopback
     * address needs TLS ({@code certFile} and {@code keyFile}, PEM).
     *
     * @param bind address to listen on (default 127.0.0.1)
     * @param port TCP port (default 8080; 0 for any free port)
     * @param idleTimeout a session ends after this long without a request (default 10 min)
     * @param certFile TLS certificate chain (PEM), or null
     * @param keyFile TLS private key (PEM, PKCS#8), or null
     */
    public record Console(String bind, int port, java.time.Duration idleTimeout, Path certFile, Path keyFile) {
        public static final String DEFAULT_BIND = "127.0.0.1";
        public static final int DEFAULT_PORT = 8080;
        public static final java.time.Duration DEFAULT_IDLE = java.time.Duration.ofMinutes(10);
        public static final Console DEFAULT = new Console(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_IDLE, null, null);

        public Console {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
        }

        /** Whether the console speaks HTTPS. */
        public boolean tls() {
            return certFile != null && keyFile != null;
        }

        /** A copy on another port. */
        public Console withPort(int p) {
            return new Console(bind, p, idleTimeout, certFile, keyFile);
        }
    }

    /** {@code terminal}: who this terminal is and where it keeps its data. */
    public record Terminal(String id, String site, Path dataDir, ZoneId timeZone) {
        public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/cardterm");
        public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("Asia/Shanghai");

        public Terminal {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(timeZone, "timeZone");
        }
    }

    /** {@code reader}: the PC/SC reader of the card encoder and the one holding the SAM. */
    public record Readers(ReaderSelector card, ReaderSelector sam) {
        public Readers {
            Objects.requireNonNull(card, "card");
            Objects.requireNonNull(sam, "sam");
        }
    }

    /** {@code logging}: the root log level {@code run} starts with. */
    public record Logging(String level) {
        public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
        public static final Logging DEFAULT = new Logging("INFO");

        public Logging {
            Objects.requireNonNull(level, "level");
        }
    }
}
