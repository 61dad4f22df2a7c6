package cardterm.terminal.diagnose;

import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.DeviceState;
import cardterm.devices.pcsc.ApduResponse;
import cardterm.devices.pcsc.CardConnection;
import cardterm.devices.pcsc.CardReader;
import cardterm.devices.pcsc.PcscService;
import cardterm.devices.pcsc.ReaderSelector;
import cardterm.devices.printer.PrinterFlag;
import cardterm.devices.printer.PrinterState;
import cardterm.devices.printer.PrinterStatus;
import cardterm.devices.printer.Supplies;
import cardterm.devices.chip.ChipProfile;
import cardterm.devices.printer.face.FontCheck;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.hub.PemTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** The self-test's checks, each a small function giving a {@link CheckResult} with a hint on failure. */
public final class Checks {
    /** A clock before this is surely wrong (a Pi without RTC or network starts in the past). */
    public static final Instant CLOCK_FLOOR = Instant.parse("2026-01-01T00:00:00Z");
    /** ...and after this too. */
    public static final Instant CLOCK_CEILING = Instant.parse("2100-01-01T00:00:00Z");
    /** Less free space than this in the data directory fails. */
    public static final long MIN_FREE_BYTES = 50L * 1024 * 1024;

    static final String CONFIG = "config";
    static final String DATA_DIR = "data-dir";
    static final String READERS = "readers";
    static final String SAM = "sam";
    static final String PRINTER = "printer";
    static final String BUTTONS = "buttons";
    static final String BROKER = "broker";
    static final String CLOCK = "clock";
    static final String FONT = "cjk-font";

    private Checks() {}

    /** The data directory exists, takes a file (written, synced, deleted) and has room. */
    public static CheckResult dataDir(Path dir) {
        String hint = "create it for the service user: install -d -o cardterm -g cardterm -m 750 " + dir
                + " (or set terminal.dataDir)";
        if (!Files.isDirectory(dir)) {
            return CheckResult.fail(DATA_DIR, dir + " does not exist or is not a directory", hint);
        }
        Path probe = dir.resolve(".selftest-" + ProcessHandle.current().pid());
        try {
            Files.write(probe, "selftest".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        } catch (IOException e) {
            return CheckResult.fail(DATA_DIR, dir + " is not writable: " + e.getClass().getSimpleName(),
                    "give it to the user the service runs as: chown -R cardterm:cardterm " + dir
                            + " (run the self-test as that user: sudo -u cardterm cardterm selftest ...)");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // left behind: harmless
            }
        }
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < MIN_FREE_BYTES) {
                return CheckResult.fail(DATA_DIR, dir + " writable, but only " + free / (1024 * 1024) + " MB free",
                        "free space on that file system (old logs under /var/log/cardterm, journal: journalctl --vacuum-size=50M)");
            }
            return CheckResult.pass(DATA_DIR, dir + " writable, " + free / (1024 * 1024) + " MB free");
        } catch (IOException e) {
            return CheckResult.pass(DATA_DIR, dir + " writable");
        }
    }

    /** The clock is within reason (not the 1970 or factory date of a Pi without RTC). */
    public static CheckResult clock(Clock clock, Optional<Boolean> synchronizedByNtp) {
        Instant now = clock.instant();
        String sync = synchronizedByNtp.map(s -> s ? ", NTP synchronized" : ", NOT synchronized by NTP").orElse("");
        String hint = "set the time and keep it set: timedatectl set-ntp true, and let the terminal reach an NTP "
                + "server (a Pi has no battery clock); commands from the hub are refused when the clock is off by "
                + "more than 300 s";
        if (now.isBefore(CLOCK_FLOOR) || now.isAfter(CLOCK_CEILING)) {
            return CheckResult.fail(CLOCK, "clock says " + now + sync, hint);
        }
        if (synchronizedByNtp.isPresent() && !synchronizedByNtp.get()) {
            return CheckResult.fail(CLOCK, "clock says " + now + sync, hint);
        }
        return CheckResult.pass(CLOCK, now.atZone(clock.getZone()).toOffsetDateTime() + sync);
    }

    /** Whether systemd-timesyncd says the clock is synchronized; empty when it cannot tell. */
    public static Optional<Boolean> ntpSynchronized() {
        if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
            return Optional.empty(); // not booted with systemd (a container, a test machine)
        }
        if (!Files.isDirectory(Path.of("/run/systemd/timesync"))) {
            return Optional.empty(); // another NTP client (chrony, ntpd): cannot tell from here
        }
        return Optional.of(Files.exists(Path.of("/run/systemd/timesync/synchronized")));
    }

    /** A font that can draw citizens' names on the card face. */
    public static CheckResult font(Optional<Path> configured) {
        FontCheck f = FontCheck.find(configured);
        if (f instanceof FontCheck.Found found) {
            return CheckResult.pass(FONT, found.source());
        }
        return CheckResult.fail(FONT, ((FontCheck.Missing) f).message(), configured.isPresent()
                ? "fix or remove issuance.cardFont (" + configured.get() + "): without it the bundled card font is used"
                : "reinstall cardterm: its jar lacks the bundled card font");
    }

    /** Both readers are among the readers pcscd has. */
    public static CheckResult readers(PcscService pcsc, ReaderSelector card, ReaderSelector sam) {
        List<String> names;
        try {
            names = pcsc.readerNames();
        } catch (RuntimeException e) {
            return CheckResult.fail(READERS, "PC/SC not available: " + e.getMessage(),
                    "start pcscd: systemctl enable --now pcscd.socket; apt-get install pcscd if missing");
        }
        List<String> missing = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (var s : List.of(new Object[] {"reader.card", card}, new Object[] {"reader.sam", sam})) {
            ReaderSelector sel = (ReaderSelector) s[1];
            Optional<String> n = sel.pick(names);
            if (n.isPresent()) {
                found.add(s[0] + " = " + n.get());
            } else {
                missing.add(s[0] + " (" + sel.spec() + ")");
            }
        }
        if (missing.isEmpty()) {
            return CheckResult.pass(READERS, String.join("; ", found));
        }
        return CheckResult.fail(READERS, "not found: " + String.join(", ", missing) + "; pcscd has "
                + (names.isEmpty() ? "no readers" : names),
                "plug the reader in (lsusb lists it), check pcscd (systemctl status pcscd) and reader.card/reader.sam "
                        + "in the config against the names pcscd has");
    }

    /** The SAM answers the profile's first SAM command (initialise key, 80 1A) with 9000. */
    public static CheckResult sam(CardReader samReader) {
        String hint = "put the issuer SAM in the SAM slot (contacts down, fully in); check reader.sam names the "
                + "SAM slot; a SAM that answers an error may be locked: ask the card issuer";
        try (CardConnection c = samReader.connect()) {
            ApduResponse r = c.transmit(ChipProfile.samInitKey(new byte[8]));
            if (r.sw() == ApduResponse.SW_OK) {
                return CheckResult.pass(SAM, "SAM in " + c.readerName() + " answers 9000 (" + c.protocol() + ")");
            }
            return CheckResult.fail(SAM, String.format("SAM in %s answered %04X to 80 1A", c.readerName(), r.sw()),
                    hint);
        } catch (RuntimeException e) {
            return CheckResult.fail(SAM, "no SAM answer: " + e.getMessage(), hint);
        }
    }

    /** The printer's state and supplies: fails on ERROR, on supplies out, when it cannot be reached. */
    public static CheckResult printer(PrinterStatus status, Optional<Supplies> supplies) {
        String sup = supplies.map(s -> ", ribbon " + s.ribbon() + " " + s.ribbonLeft() + " left").orElse("");
        String flags = status.flags().isEmpty() ? "" : " " + status.flags().stream().map(Enum::name)
                .collect(Collectors.joining(","));
        String detail = status.state() + flags + sup;
        if (status.state() == PrinterState.ERROR) {
            return CheckResult.fail(PRINTER, detail, printerHint(status));
        }
        return CheckResult.pass(PRINTER, detail);
    }

    static String printerHint(PrinterStatus s) {
        List<String> h = new ArrayList<>();
        if (s.has(PrinterFlag.COVER_OPEN)) {
            h.add("close the printer cover");
        }
        if (s.has(PrinterFlag.JAM)) {
            h.add("open the printer and clear the jammed card");
        }
        if (s.has(PrinterFlag.FEEDER_EMPTY)) {
            h.add("load blank cards into the feeder");
        }
        if (s.has(PrinterFlag.RIBBON_ENDED) || s.has(PrinterFlag.NO_RIBBON)) {
            h.add("put in a new ribbon");
        }
        if (s.has(PrinterFlag.REJECT_BOX_FULL)) {
            h.add("empty the reject box");
        }
        if (s.has(PrinterFlag.HEAD_TEMP)) {
            h.add("let the print head cool down");
        }
        if (h.isEmpty()) {
            h.add("see the printer's panel; switch it off and on");
        }
        return String.join("; ", h);
    }

    /** The printer could not be asked. */
    public static CheckResult printerUnreachable(String where, String why) {
        return CheckResult.fail(PRINTER, "no answer on " + where + ": " + why,
                "check the printer is on and its cable plugged in; printer.port in the config (a stable name such as "
                        + "/dev/cardprinter needs the udev rule in /usr/share/doc/cardterm/); the service user needs "
                        + "group dialout");
    }

    /** A device's health as a check (for a running service). */
    public static CheckResult fromHealth(String check, String device, DeviceHealth h, String hint) {
        if (h == null) {
            return CheckResult.fail(check, device + " not known to the service", hint);
        }
        String detail = device + " " + h.state() + "/" + h.reason() + (h.message().isBlank() ? "" : ": " + h.message());
        return h.state() == DeviceState.ONLINE ? CheckResult.pass(check, detail) : CheckResult.fail(check, detail, hint);
    }

    /** Connects to each broker URI with the configured credentials and TLS, then disconnects. */
    public static CheckResult broker(HubSettings s, String clientIdSuffix) {
        List<String> ok = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        String hint = null;
        for (String uri : s.uris()) {
            String clientId = (s.clientId() + "-" + clientIdSuffix);
            clientId = clientId.length() > 64 ? clientId.substring(0, 64) : clientId;
            MqttClient c = null;
            try {
                c = new MqttClient(uri, clientId, new MemoryPersistence());
                MqttConnectOptions o = new MqttConnectOptions();
                o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
                o.setCleanSession(true);
                o.setAutomaticReconnect(false);
                o.setConnectionTimeout((int) Math.max(1, s.connectTimeout().toSeconds()));
                if (s.username() != null) {
                    o.setUserName(s.username());
                }
                if (s.password() != null) {
                    o.setPassword(s.password().toCharArray());
                }
                if (s.usesTls()) {
                    o.setSocketFactory(PemTls.context(s.caFile(), s.clientCertFile(), s.clientKeyFile())
                            .getSocketFactory());
                    o.setHttpsHostnameVerificationEnabled(true);
                }
                c.connect(o);
                c.disconnect(1000);
                ok.add(uri);
            } catch (PemTls.TlsFileException e) {
                bad.add(uri + ": " + e.getMessage());
                hint = "fix hub.tls (caFile, certFile, keyFile): PEM files readable by the service user";
            } catch (MqttException e) {
                bad.add(uri + ": " + e.getMessage() + " (" + e.getReasonCode() + ")");
                hint = switch (e.getReasonCode()) {
                    // brokers answer a wrong password with either code (mosquitto: not authorised)
                    case MqttException.REASON_CODE_FAILED_AUTHENTICATION, MqttException.REASON_CODE_NOT_AUTHORIZED ->
                        "the broker refused the user name or password: check hub.username and the file "
                                + "hub.passwordFile names; if both are right, ask the hub's operators to allow this "
                                + "terminal's user (or client certificate)";
                    default -> hint != null ? hint : "check the network (ping, firewall), the broker address and port "
                            + "in hub.uri, and for ssl:// the CA file and the clock";
                };
            } catch (RuntimeException e) {
                bad.add(uri + ": " + e);
                hint = hint != null ? hint : "check hub.uri";
            } finally {
                if (c != null) {
                    try {
                        c.close(true);
                    } catch (MqttException e) {
                        // closing anyway
                    }
                }
            }
        }
        String who = s.username() == null ? "anonymous" : "user " + s.username();
        if (bad.isEmpty()) {
            return CheckResult.pass(BROKER, "connected as " + who + " to " + String.join(", ", ok));
        }
        return CheckResult.fail(BROKER, String.join("; ", bad) + (ok.isEmpty() ? "" : "; reachable: " + ok), hint);
    }
}
