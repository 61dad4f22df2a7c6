package cardterm.terminal.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The whole configuration of one counter terminal, as read from {@code terminal.yaml} (see
 * {@link ConfigLoader}) or made for {@code simulate} ({@link #forSimulation}). Immutable; the
 * loader has checked every value before building it, the constructors only refuse nulls.
 */
public record TerminalConfig(
        Terminal terminal,
        Hub hub,
        Outbox outbox,
        Health health,
        Readers readers,
        Printer printer,
        Gpio gpio,
        List<Post> posts,
        List<String> supervisors,
        List<Button> buttons,
        Assist assist,
        Issuance issuance,
        Logging logging) {

    /** Pattern of terminal, site, button and post names: {@code [a-z0-9][a-z0-9-]{0,31}}. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
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
        posts = List.copyOf(posts);
        supervisors = List.copyOf(supervisors);
        buttons = List.copyOf(buttons);
        Objects.requireNonNull(assist, "assist");
        Objects.requireNonNull(issuance, "issuance");
        Objects.requireNonNull(logging, "logging");
    }

    /** A copy with another {@code terminal} section. */
    public TerminalConfig withTerminal(Terminal t) {
        return new TerminalConfig(t, hub, outbox, health, readers, printer, gpio, posts, supervisors, buttons,
                assist, issuance, logging);
    }

    /** A copy with another {@code hub} section. */
    public TerminalConfig withHub(Hub h) {
        return new TerminalConfig(terminal, h, outbox, health, readers, printer, gpio, posts, supervisors, buttons,
                assist, issuance, logging);
    }

    /** A copy with another {@code health} section. */
    public TerminalConfig withHealth(Health h) {
        return new TerminalConfig(terminal, hub, outbox, h, readers, printer, gpio, posts, supervisors, buttons,
                assist, issuance, logging);
    }

    /** A copy with other {@code readers}. */
    public TerminalConfig withReaders(Readers r) {
        return new TerminalConfig(terminal, hub, outbox, health, r, printer, gpio, posts, supervisors, buttons,
                assist, issuance, logging);
    }

    /** A copy with another {@code printer} section. */
    public TerminalConfig withPrinter(Printer p) {
        return new TerminalConfig(terminal, hub, outbox, health, readers, p, gpio, posts, supervisors, buttons,
                assist, issuance, logging);
    }

    /** A copy with another {@code assist} section. */
    public TerminalConfig withAssist(Assist a) {
        return new TerminalConfig(terminal, hub, outbox, health, readers, printer, gpio, posts, supervisors, buttons,
                a, issuance, logging);
    }

    /** A copy with another {@code issuance} section. */
    public TerminalConfig withIssuance(Issuance i) {
        return new TerminalConfig(terminal, hub, outbox, health, readers, printer, gpio, posts, supervisors, buttons,
                assist, i, logging);
    }

    /** The post named {@code name}. */
    public Optional<Post> post(String name) {
        return posts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The button with id {@code id}. */
    public Optional<Button> button(String id) {
        return buttons.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /** Whether {@code staffId} is listed under {@code supervisors}. */
    public boolean isSupervisor(String staffId) {
        return supervisors.contains(staffId);
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
        Hub hub = new Hub(List.of(URI.create(hubUri)), Optional.empty(), Optional.empty(), Tls.NONE,
                Hub.DEFAULT_KEEP_ALIVE, Hub.DEFAULT_CONNECT_TIMEOUT, Reconnect.DEFAULT,
                Hub.DEFAULT_INFLIGHT_WINDOW, keyFile);
        return new TerminalConfig(
                new Terminal(SIM_TERMINAL_ID, SIM_SITE, dir.resolve("data"), Terminal.DEFAULT_TIME_ZONE),
                hub,
                Outbox.DEFAULT,
                Health.DEFAULT,
                new Readers(new ReaderSelector(SIM_CARD_READER), new ReaderSelector(SIM_SAM_READER)),
                new Printer(PrinterPort.parse(SIM_PRINTER_PORT).orElseThrow(), Printer.DEFAULT_BAUD,
                        Printer.DEFAULT_POLL_INTERVAL, PrinterTimeouts.DEFAULT),
                new Gpio(GpioProvider.MOCK, Gpio.DEFAULT_CHIP),
                List.of(new Post("hall", List.of("S1001", "S1002"), List.of("S2001"))),
                List.of("S9001"),
                List.of(
                        new Button("call-1", 17, Pull.UP, true, "wheelchair counter", "hall",
                                new OutputPin(27), new OutputPin(22)),
                        new Button("call-2", 5, Pull.UP, true, "waiting seats", "hall",
                                new OutputPin(6), new OutputPin(13))),
                Assist.DEFAULT,
                Issuance.DEFAULT,
                Logging.DEFAULT);
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

    /**
     * {@code hub}: the MQTT link. {@code uris} are tried in turn ({@code tcp://} or
     * {@code ssl://}); {@code keepAlive} and {@code connectTimeout} are whole seconds.
     */
    public record Hub(
            List<URI> uris,
            Optional<String> username,
            Optional<Path> passwordFile,
            Tls tls,
            Duration keepAlive,
            Duration connectTimeout,
            Reconnect reconnect,
            int inflightWindow,
            Path commandKeyFile) {
        public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
        public static final int DEFAULT_INFLIGHT_WINDOW = 32;

        public Hub {
            uris = List.copyOf(uris);
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(passwordFile, "passwordFile");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(keepAlive, "keepAlive");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(reconnect, "reconnect");
            Objects.requireNonNull(commandKeyFile, "commandKeyFile");
        }

        /** The URIs as Paho's {@code setServerURIs} wants them. */
        public String[] serverUris() {
            return uris.stream().map(URI::toString).toArray(String[]::new);
        }
    }

    /**
     * {@code hub.tls}: the CA that signs the broker's certificate, and optionally a client
     * certificate and its key (both or neither).
     */
    public record Tls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {
        public static final Tls NONE = new Tls(Optional.empty(), Optional.empty(), Optional.empty());

        public Tls {
            Objects.requireNonNull(caFile, "caFile");
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        }

        /** Whether the terminal shows a client certificate. */
        public boolean hasClientCertificate() {
            return certFile.isPresent() && keyFile.isPresent();
        }
    }

    /** {@code hub.reconnect}: back-off between connection attempts, doubling up to the max. */
    public record Reconnect(Duration initialDelay, Duration maxDelay) {
        public static final Reconnect DEFAULT = new Reconnect(Duration.ofSeconds(1), Duration.ofSeconds(60));

        public Reconnect {
            Objects.requireNonNull(initialDelay, "initialDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
        }
    }

    /** {@code outbox}: the durable event store; the oldest events of the lowest kind go first past the cap. */
    public record Outbox(int maxEvents) {
        public static final Outbox DEFAULT = new Outbox(1_000_000);
    }

    /** {@code health}: how often health is republished and metrics sent. */
    public record Health(Duration interval, Duration metricsInterval) {
        public static final Health DEFAULT = new Health(Duration.ofSeconds(60), Duration.ofSeconds(60));

        public Health {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(metricsInterval, "metricsInterval");
        }
    }

    /** {@code readers}: the PC/SC reader of the card encoder and the one holding the SAM. */
    public record Readers(ReaderSelector card, ReaderSelector sam) {
        public Readers {
            Objects.requireNonNull(card, "card");
            Objects.requireNonNull(sam, "sam");
        }
    }

    /**
     * Picks a PC/SC reader: either its exact name, or {@code /regex/}, searched anywhere in the
     * name (anchor it with {@code ^...$} to match the whole name).
     */
    public record ReaderSelector(String spec) {
        public ReaderSelector {
            Objects.requireNonNull(spec, "spec");
            if (isRegex(spec)) {
                Pattern.compile(spec.substring(1, spec.length() - 1)); // throws PatternSyntaxException
            }
        }

        /** Whether this is a {@code /regex/}. */
        public boolean isRegex() {
            return isRegex(spec);
        }

        /** Whether the reader named {@code readerName} is the one meant. */
        public boolean matches(String readerName) {
            if (!isRegex()) {
                return spec.equals(readerName);
            }
            return Pattern.compile(spec.substring(1, spec.length() - 1)).matcher(readerName).find();
        }

        static boolean isRegex(String spec) {
            return spec.length() >= 2 && spec.startsWith("/") && spec.endsWith("/");
        }

        /** Null when {@code spec} is a valid selector, else what is wrong with its regex. */
        static String regexProblem(String spec) {
            if (!isRegex(spec)) {
                return null;
            }
            try {
                Pattern.compile(spec.substring(1, spec.length() - 1));
                return null;
            } catch (PatternSyntaxException e) {
                return e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "");
            }
        }

        @Override
        public String toString() {
            return spec;
        }
    }

    /** {@code printer}: the card printer's link and its timings. */
    public record Printer(PrinterPort port, int baud, Duration pollInterval, PrinterTimeouts timeouts) {
        public static final int DEFAULT_BAUD = 115_200;
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
        /** Baud rates accepted for {@code printer.baud}. */
        public static final List<Integer> BAUD_RATES =
                List.of(9_600, 19_200, 38_400, 57_600, 115_200, 230_400, 460_800, 921_600);

        public Printer {
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(timeouts, "timeouts");
        }
    }

    /** Where the printer is: a serial device path or a TCP endpoint. */
    public sealed interface PrinterPort {
        /** Parses {@code /dev/ttyUSB0} or {@code tcp://host:port}; empty when it is neither. */
        static Optional<PrinterPort> parse(String text) {
            if (text.startsWith("tcp://")) {
                try {
                    URI u = new URI(text);
                    boolean bare = u.getHost() != null && u.getPort() > 0 && u.getUserInfo() == null
                            && (u.getRawPath() == null || u.getRawPath().isEmpty())
                            && u.getRawQuery() == null && u.getRawFragment() == null;
                    return bare ? Optional.of(new TcpEndpoint(u.getHost(), u.getPort())) : Optional.empty();
                } catch (java.net.URISyntaxException e) {
                    return Optional.empty();
                }
            }
            if (text.startsWith("/") && text.length() > 1 && text.chars().noneMatch(Character::isWhitespace)) {
                return Optional.of(new SerialDevice(text));
            }
            return Optional.empty();
        }
    }

    /** A serial device by path, such as {@code /dev/ttyUSB0} (jSerialComm opens it by this path). */
    public record SerialDevice(String path) implements PrinterPort {
        public SerialDevice {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path;
        }
    }

    /** A printer reached over TCP. */
    public record TcpEndpoint(String host, int port) implements PrinterPort {
        public TcpEndpoint {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port " + port);
            }
        }

        @Override
        public String toString() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** {@code printer.timeouts}: for status queries, and for mechanical moves (feed, print, eject). */
    public record PrinterTimeouts(Duration query, Duration mechanical) {
        public static final PrinterTimeouts DEFAULT = new PrinterTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(120));

        public PrinterTimeouts {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(mechanical, "mechanical");
        }
    }

    /** {@code gpio}: the Pi4J provider and the GPIO chip. */
    public record Gpio(GpioProvider provider, String chip) {
        public static final String DEFAULT_CHIP = "gpiochip0";

        public Gpio {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(chip, "chip");
        }
    }

    /** {@code gpio.provider}: real pins through libgpiod, or Pi4J's mock pins. */
    public enum GpioProvider {
        GPIOD, MOCK;

        /** As written in the config: {@code gpiod}, {@code mock}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code posts[]}: a service post with its A staff (called at once) and B staff (called
     * after {@code assist.escalateToB}).
     */
    public record Post(String name, List<String> a, List<String> b) {
        public Post {
            Objects.requireNonNull(name, "name");
            a = List.copyOf(a);
            b = List.copyOf(b);
        }
    }

    /** {@code buttons[]}: an assistance call button with its lamp and buzzer. */
    public record Button(
            String id,
            int pin,
            Pull pull,
            boolean activeLow,
            String location,
            String post,
            OutputPin lamp,
            OutputPin buzzer) {
        public Button {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(pull, "pull");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(post, "post");
            Objects.requireNonNull(lamp, "lamp");
            Objects.requireNonNull(buzzer, "buzzer");
        }
    }

    /** An output pin (BCM number) driving a lamp or buzzer. */
    public record OutputPin(int pin) {
    }

    /** {@code buttons[].pull}: the input's pull resistor. */
    public enum Pull {
        UP, DOWN, NONE;

        /** As written in the config: {@code up}, {@code down}, {@code none}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code assist}: button timings and escalation. A call unacknowledged for
     * {@code escalateToB} goes to post B, for twice that to a supervisor.
     */
    public record Assist(Duration debounce, Duration longPress, Duration stuckAfter, Duration escalateToB) {
        public static final Assist DEFAULT = new Assist(Duration.ofMillis(30), Duration.ofSeconds(3),
                Duration.ofSeconds(60), Duration.ofSeconds(60));

        public Assist {
            Objects.requireNonNull(debounce, "debounce");
            Objects.requireNonNull(longPress, "longPress");
            Objects.requireNonNull(stuckAfter, "stuckAfter");
            Objects.requireNonNull(escalateToB, "escalateToB");
        }

        /** When an unacknowledged call goes to a supervisor: twice {@link #escalateToB}. */
        public Duration escalateToSupervisor() {
            return escalateToB.multipliedBy(2);
        }
    }

    /** {@code issuance}: local policy for elderly priority, transit concessions and promised times. */
    public record Issuance(
            int elderlyAge,
            List<ConcessionBand> concessions,
            boolean concessionByDefault,
            Duration promisedDuration,
            Optional<Path> cardFont) {
        public static final int DEFAULT_ELDERLY_AGE = 55;
        /** 60-69 discount (优惠卡), 70 and over free (爱心卡). */
        public static final List<ConcessionBand> DEFAULT_CONCESSIONS = List.of(
                new ConcessionBand(60, OptionalInt.of(69), ConcessionType.DISCOUNT),
                new ConcessionBand(70, OptionalInt.empty(), ConcessionType.FREE));
        public static final Duration DEFAULT_PROMISED_DURATION = Duration.ofMinutes(10);
        public static final Issuance DEFAULT = new Issuance(DEFAULT_ELDERLY_AGE, DEFAULT_CONCESSIONS, true,
                DEFAULT_PROMISED_DURATION, Optional.empty());

        public Issuance {
            concessions = List.copyOf(concessions);
            Objects.requireNonNull(promisedDuration, "promisedDuration");
            Objects.requireNonNull(cardFont, "cardFont");
        }

        /** Whether a citizen of this age (on the issue date) is served as elderly. */
        public boolean isElderly(int age) {
            return age >= elderlyAge;
        }

        /** The concession a citizen of this age is eligible for, if any. */
        public Optional<ConcessionType> concessionFor(int age) {
            return concessions.stream().filter(c -> c.covers(age)).map(ConcessionBand::type).findFirst();
        }
    }

    /** {@code issuance.concessions[]}: ages {@code fromAge} to {@code toAge} (inclusive; open when absent). */
    public record ConcessionBand(int fromAge, OptionalInt toAge, ConcessionType type) {
        public ConcessionBand {
            Objects.requireNonNull(toAge, "toAge");
            Objects.requireNonNull(type, "type");
        }

        /** Whether {@code age} falls in this band. */
        public boolean covers(int age) {
            return age >= fromAge && (toAge.isEmpty() || age <= toAge.getAsInt());
        }
    }

    /** Transit concession kinds; {@link #wireName()} is what events carry. */
    public enum ConcessionType {
        /** 优惠卡. */
        DISCOUNT,
        /** 爱心卡. */
        FREE;

        /** {@code discount} or {@code free}, as in the config and in {@code issuance.completed}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
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
