package cardterm.terminal.config;

import cardterm.devices.check.Problems;
import cardterm.terminal.config.ConfigSchema.Group;
import cardterm.terminal.config.ConfigSchema.GroupList;
import cardterm.terminal.config.ConfigSchema.Key;
import cardterm.terminal.config.ConfigSchema.ScalarList;
import cardterm.terminal.config.TerminalConfig.Assist;
import cardterm.terminal.config.TerminalConfig.Button;
import cardterm.terminal.config.TerminalConfig.ConcessionBand;
import cardterm.terminal.config.TerminalConfig.ConcessionType;
import cardterm.terminal.config.TerminalConfig.Gpio;
import cardterm.terminal.config.TerminalConfig.GpioProvider;
import cardterm.terminal.config.TerminalConfig.Health;
import cardterm.terminal.config.TerminalConfig.Hub;
import cardterm.terminal.config.TerminalConfig.Issuance;
import cardterm.terminal.config.TerminalConfig.Logging;
import cardterm.terminal.config.TerminalConfig.OutputPin;
import cardterm.terminal.config.TerminalConfig.Outbox;
import cardterm.terminal.config.TerminalConfig.Post;
import cardterm.terminal.config.TerminalConfig.Printer;
import cardterm.terminal.config.TerminalConfig.PrinterPort;
import cardterm.terminal.config.TerminalConfig.PrinterTimeouts;
import cardterm.terminal.config.TerminalConfig.Pull;
import cardterm.terminal.config.TerminalConfig.ReaderSelector;
import cardterm.terminal.config.TerminalConfig.Readers;
import cardterm.terminal.config.TerminalConfig.Reconnect;
import cardterm.terminal.config.TerminalConfig.Terminal;
import cardterm.terminal.config.TerminalConfig.Tls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Maps the (environment-overlaid) tree to {@link TerminalConfig} by hand, checking every value
 * and reporting every problem with its key path. Builds the records only when nothing is wrong.
 */
final class ConfigMapper {
    static final int MIN_COMMAND_KEY_CHARS = 32;
    private static final int MAX_LIST_ITEMS = 1000;
    private static final int MAX_PIN = 53;
    private static final int MAX_AGE = 150;
    private static final long MAX_KEY_FILE_BYTES = 64 * 1024;
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(_\\d+)*");
    private static final Pattern GPIO_CHIP = Pattern.compile("(/dev/)?gpiochip\\d{1,3}");
    private static final int MAX_LABEL = 64;

    private final Problems problems;
    private final Map<String, String> envOrigin;
    private final Path baseDir;
    private final boolean checkFiles;
    /** Post names that passed their pattern, for checking buttons[].post even when posts have problems. */
    private final Set<String> postNamesSeen = new LinkedHashSet<>();
    /**
     * Values that could not be mapped so far; a section is built only when this did not grow
     * while mapping it.
     */
    private int failures;

    private ConfigMapper(Problems problems, Map<String, String> envOrigin, Path baseDir, boolean checkFiles) {
        this.problems = problems;
        this.envOrigin = envOrigin;
        this.baseDir = baseDir;
        this.checkFiles = checkFiles;
    }

    /** The config, or null when {@code problems} got at least one problem (from here or before). */
    static TerminalConfig map(ObjectNode root, Map<String, String> envOrigin, Path baseDir, boolean checkFiles,
            Problems problems) {
        return new ConfigMapper(problems, envOrigin, baseDir, checkFiles).root(root);
    }

    // ---------------------------------------------------------------------------------------
    // sections

    private TerminalConfig root(ObjectNode node) {
        int mark = failures;
        Section s = new Section("", node, ConfigSchema.ROOT);
        Terminal terminal = terminal(s.section("terminal"));
        Hub hub = hub(s.section("hub"));
        Outbox outbox = outbox(s.section("outbox"));
        Health health = health(s.section("health"));
        Readers readers = readers(s.section("reader"));
        Printer printer = printer(s.section("printer"));
        Gpio gpio = gpio(s.section("gpio"));
        List<Post> posts = posts(s);
        List<String> supervisors = staffList(s, "supervisors");
        List<Button> buttons = buttons(s);
        JsonNode buttonsNode = s.raw("buttons");
        boolean hasButtons = buttonsNode != null && buttonsNode.isArray() && !buttonsNode.isEmpty();
        if (hasButtons && s.valid("supervisors")
                && (supervisors == null || supervisors.isEmpty())) {
            problem("supervisors", "required when there are buttons: unacknowledged calls escalate to a supervisor");
        }
        Assist assist = assist(s.section("assist"));
        Issuance issuance = issuance(s.section("issuance"));
        Logging logging = logging(s.section("logging"));
        if (failures != mark) {
            return null;
        }
        return new TerminalConfig(terminal, hub, outbox, health, readers, printer, gpio, posts,
                supervisors == null ? List.of() : supervisors, buttons, assist, issuance, logging);
    }

    private Terminal terminal(Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = failures;
        String id = s.required("id");
        matches(s.path("id"), id, TerminalConfig.NAME);
        String site = s.required("site");
        matches(s.path("site"), site, TerminalConfig.NAME);
        Path dataDir = s.path("dataDir", false, Terminal.DEFAULT_DATA_DIR);
        ZoneId zone = Terminal.DEFAULT_TIME_ZONE;
        String z = s.string("timeZone");
        if (z != null) {
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException e) {
                problem(s.path("timeZone"), "unknown time zone '" + z + "' (e.g. Asia/Shanghai)");
            }
        }
        return failures == mark ? new Terminal(id, site, dataDir, zone) : null;
    }

    private Hub hub(Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = failures;
        List<URI> uris = new ArrayList<>();
        List<String> raw = s.list("uri");
        if (raw == null) {
            s.missing("uri");
        } else if (raw.isEmpty()) {
            problem(s.path("uri"), "needs at least one broker URI (tcp://host:1883 or ssl://host:8883)");
        } else {
            for (int i = 0; i < raw.size(); i++) {
                URI u = brokerUri(s.path("uri") + "[" + i + "]", raw.get(i));
                if (u != null) {
                    uris.add(u);
                }
            }
        }
        boolean ssl = uris.stream().anyMatch(u -> "ssl".equals(u.getScheme()));

        String username = s.string("username");
        Path passwordFile = s.path("passwordFile", false, null);
        if (passwordFile != null) {
            if (username == null && s.valid("username")) {
                problem(s.path("passwordFile"), "needs hub.username as well");
            }
            if (file(s.path("passwordFile"), passwordFile)) {
                String text = readSmall(s.path("passwordFile"), passwordFile);
                if (text != null && text.isBlank()) {
                    problem(s.path("passwordFile"), "the file is empty: " + passwordFile);
                }
            }
        }

        Section t = s.section("tls");
        Path ca = t.path("caFile", false, null);
        Path cert = t.path("certFile", false, null);
        Path key = t.path("keyFile", false, null);
        if (ca != null) {
            file(t.path("caFile"), ca);
        }
        if (cert != null) {
            file(t.path("certFile"), cert);
        }
        if (key != null) {
            file(t.path("keyFile"), key);
        }
        if (cert != null && key == null && t.valid("keyFile")) {
            problem(t.path("keyFile"), "required together with hub.tls.certFile (both or neither)");
        }
        if (key != null && cert == null && t.valid("certFile")) {
            problem(t.path("certFile"), "required together with hub.tls.keyFile (both or neither)");
        }
        if (ssl && ca == null && t.valid("caFile")) {
            problem(t.path("caFile"), "required when a hub.uri uses ssl://");
        }
        if (!ssl && raw != null && !uris.isEmpty() && uris.size() == raw.size() && (ca != null || cert != null || key != null)) {
            problem(t.path, "is set, but no hub.uri uses ssl:// (the link would not be encrypted)");
        }

        Duration keepAlive = s.duration("keepAlive", Hub.DEFAULT_KEEP_ALIVE, Duration.ofSeconds(1), Duration.ofHours(1));
        wholeSeconds(s.path("keepAlive"), keepAlive);
        Duration connectTimeout = s.duration("connectTimeout", Hub.DEFAULT_CONNECT_TIMEOUT,
                Duration.ofSeconds(1), Duration.ofMinutes(5));
        wholeSeconds(s.path("connectTimeout"), connectTimeout);

        Section r = s.section("reconnect");
        Duration initial = r.duration("initialDelay", Reconnect.DEFAULT.initialDelay(),
                Duration.ofMillis(100), Duration.ofMinutes(10));
        Duration max = r.duration("maxDelay", Reconnect.DEFAULT.maxDelay(), Duration.ofSeconds(1), Duration.ofHours(1));
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            problem(r.path("maxDelay"), "must not be shorter than hub.reconnect.initialDelay ("
                    + Durations.format(initial) + ")");
        }

        Integer window = s.integer("inflightWindow", Hub.DEFAULT_INFLIGHT_WINDOW, 1, 1000);

        Path keyFile = s.path("commandKeyFile", true, null);
        if (keyFile != null && file(s.path("commandKeyFile"), keyFile)) {
            String text = readSmall(s.path("commandKeyFile"), keyFile);
            if (text != null && text.strip().length() < MIN_COMMAND_KEY_CHARS) {
                problem(s.path("commandKeyFile"), "holds fewer than " + MIN_COMMAND_KEY_CHARS
                        + " characters (after trimming white space): " + keyFile);
            }
        }
        if (failures != mark) {
            return null;
        }
        return new Hub(uris, Optional.ofNullable(username), Optional.ofNullable(passwordFile),
                new Tls(Optional.ofNullable(ca), Optional.ofNullable(cert), Optional.ofNullable(key)),
                keepAlive, connectTimeout, new Reconnect(initial, max), window, keyFile);
    }

    private URI brokerUri(String path, String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            problem(path, "not a URI: '" + text + "' (" + e.getReason() + ")");
            return null;
        }
        if (u.getScheme() == null || !(u.getScheme().equals("tcp") || u.getScheme().equals("ssl"))) {
            problem(path, "'" + text + "' must start with tcp:// or ssl://");
            return null;
        }
        if (u.getHost() == null) {
            problem(path, "'" + text + "' has no host (e.g. tcp://hub.example:1883)");
            return null;
        }
        if (u.getRawUserInfo() != null) {
            problem(path, "must not hold credentials; use hub.username and hub.passwordFile");
            return null;
        }
        if ((u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null
                || u.getRawFragment() != null) {
            problem(path, "'" + text + "' must be scheme://host:port only, without a path or query");
            return null;
        }
        return u;
    }

    private Outbox outbox(Section s) {
        if (!s.usable) {
            return null;
        }
        Integer max = s.integer("maxEvents", Outbox.DEFAULT.maxEvents(), 1000, 100_000_000);
        return max == null ? null : new Outbox(max);
    }

    private Health health(Section s) {
        if (!s.usable) {
            return null;
        }
        Duration interval = s.duration("interval", Health.DEFAULT.interval(), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration metrics = s.duration("metricsInterval", Health.DEFAULT.metricsInterval(),
                Duration.ofSeconds(1), Duration.ofHours(1));
        return interval == null || metrics == null ? null : new Health(interval, metrics);
    }

    private Readers readers(Section s) {
        if (!s.usable) {
            return null;
        }
        ReaderSelector card = readerSelector(s, "card");
        ReaderSelector sam = readerSelector(s, "sam");
        return card == null || sam == null ? null : new Readers(card, sam);
    }

    private ReaderSelector readerSelector(Section s, String key) {
        String spec = s.required(key);
        if (spec == null) {
            return null;
        }
        String bad = ReaderSelector.regexProblem(spec);
        if (bad != null) {
            problem(s.path(key), "invalid regular expression " + spec + ": " + YamlTree.oneLine(bad));
            return null;
        }
        return new ReaderSelector(spec);
    }

    private Printer printer(Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = failures;
        String portText = s.required("port");
        PrinterPort port = null;
        if (portText != null) {
            port = PrinterPort.parse(portText).orElse(null);
            if (port == null) {
                problem(s.path("port"), "'" + portText + "' is neither a device path (/dev/ttyUSB0) nor tcp://host:port");
            }
        }
        Integer baud = s.integer("baud", Printer.DEFAULT_BAUD, 1, Integer.MAX_VALUE);
        if (baud != null && !Printer.BAUD_RATES.contains(baud)) {
            problem(s.path("baud"), "must be one of " + Printer.BAUD_RATES.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ", got " + baud);
        }
        Duration poll = s.duration("pollInterval", Printer.DEFAULT_POLL_INTERVAL, Duration.ofMillis(100), Duration.ofMinutes(5));
        Section t = s.section("timeouts");
        Duration query = t.duration("query", PrinterTimeouts.DEFAULT.query(), Duration.ofMillis(100), Duration.ofMinutes(1));
        Duration mech = t.duration("mechanical", PrinterTimeouts.DEFAULT.mechanical(), Duration.ofSeconds(1), Duration.ofMinutes(10));
        return failures == mark ? new Printer(port, baud, poll, new PrinterTimeouts(query, mech)) : null;
    }

    private Gpio gpio(Section s) {
        if (!s.usable) {
            return null;
        }
        GpioProvider provider = s.choice("provider", GpioProvider.class, GpioProvider.GPIOD);
        String chip = s.string("chip");
        if (chip == null) {
            chip = Gpio.DEFAULT_CHIP;
        } else if (!GPIO_CHIP.matcher(chip).matches()) {
            problem(s.path("chip"), "'" + chip + "' is not a GPIO chip name (gpiochip0, or /dev/gpiochip0)");
            return null;
        }
        return provider == null || !s.valid("chip") ? null : new Gpio(provider, chip);
    }

    private List<Post> posts(Section root) {
        List<Section> items = root.items("posts");
        if (items == null) {
            return root.valid("posts") ? List.of() : null;
        }
        int mark = failures;
        List<Post> out = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (Section p : items) {
            String name = p.required("name");
            if (matches(p.path("name"), name, TerminalConfig.NAME)) {
                postNamesSeen.add(name);
                String earlier = names.putIfAbsent(name, p.path);
                if (earlier != null) {
                    problem(p.path("name"), "post '" + name + "' is already defined at " + earlier);
                }
            }
            List<String> a = staffList(p, "a");
            List<String> b = staffList(p, "b");
            if (a == null && p.valid("a")) {
                p.missing("a");
            } else if (a != null && a.isEmpty()) {
                problem(p.path("a"), "needs at least one staff id");
            }
            if (b == null && p.valid("b")) {
                p.missing("b");
            } else if (b != null && b.isEmpty()) {
                problem(p.path("b"), "needs at least one staff id: B covers when A is away");
            }
            if (a != null && b != null) {
                for (String id : b) {
                    if (a.contains(id)) {
                        problem(p.path("b"), "staff " + id + " is on both a and b of this post");
                    }
                }
            }
            if (name != null && a != null && b != null) {
                out.add(new Post(name, a, b));
            }
        }
        return failures == mark ? out : null;
    }

    /** A list of staff ids under {@code key}; null when absent or invalid. */
    private List<String> staffList(Section s, String key) {
        List<String> ids = s.list(key);
        if (ids == null) {
            return null;
        }
        int mark = failures;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String itemPath = s.path(key) + "[" + i + "]";
            String id = ids.get(i);
            if (matches(itemPath, id, TerminalConfig.STAFF_ID) && !seen.add(id)) {
                problem(itemPath, "staff " + id + " is listed twice");
            }
        }
        if (failures != mark) {
            s.invalid.add(key);
            return null;
        }
        return ids;
    }

    private List<Button> buttons(Section root) {
        List<Section> items = root.items("buttons");
        if (items == null) {
            return root.valid("buttons") ? List.of() : null;
        }
        int mark = failures;
        Set<String> postNames = postNamesSeen;
        Map<String, String> ids = new HashMap<>();
        Map<Integer, String> pins = new LinkedHashMap<>();
        List<Button> out = new ArrayList<>();
        for (Section b : items) {
            int itemMark = failures;
            String id = b.required("id");
            if (matches(b.path("id"), id, TerminalConfig.NAME)) {
                String earlier = ids.putIfAbsent(id, b.path);
                if (earlier != null) {
                    problem(b.path("id"), "button id '" + id + "' is already used by " + earlier);
                }
            }
            Integer pin = b.integer("pin", null, 0, MAX_PIN);
            pinInUse(pins, b.path("pin"), pin);
            Pull pull = b.choice("pull", Pull.class, Pull.UP);
            Boolean activeLow = b.bool("activeLow", Boolean.TRUE);
            String location = b.required("location");
            if (location != null && (location.length() > MAX_LABEL || location.chars().anyMatch(Character::isISOControl))) {
                problem(b.path("location"), "must be one line of at most " + MAX_LABEL + " characters");
            }
            String post = b.required("post");
            if (post != null && !postNames.contains(post)) {
                problem(b.path("post"), "names no post" + (postNames.isEmpty() ? " (there are no posts)"
                        : Suggest.nearest(post, postNames).map(n -> "; did you mean '" + n + "'?")
                                .orElse("; posts are: " + String.join(", ", postNames))));
            }
            OutputPin lamp = outputPin(b, "lamp", pins);
            OutputPin buzzer = outputPin(b, "buzzer", pins);
            if (failures == itemMark) {
                out.add(new Button(id, pin, pull, activeLow, location, post, lamp, buzzer));
            }
        }
        return failures == mark ? out : null;
    }

    private OutputPin outputPin(Section button, String key, Map<Integer, String> pins) {
        if (!button.present(key)) {
            if (button.valid(key)) {
                button.missing(key);
            }
            return null;
        }
        Section s = button.section(key);
        Integer pin = s.integer("pin", null, 0, MAX_PIN);
        pinInUse(pins, s.path("pin"), pin);
        return pin == null ? null : new OutputPin(pin);
    }

    private void pinInUse(Map<Integer, String> pins, String path, Integer pin) {
        if (pin == null) {
            return;
        }
        String earlier = pins.putIfAbsent(pin, path);
        if (earlier != null) {
            problem(path, "pin " + pin + " is already used by " + earlier);
        }
    }

    private Assist assist(Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = failures;
        Duration debounce = s.duration("debounce", Assist.DEFAULT.debounce(), Duration.ofMillis(1), Duration.ofSeconds(1));
        Duration longPress = s.duration("longPress", Assist.DEFAULT.longPress(), Duration.ofMillis(100), Duration.ofMinutes(1));
        Duration stuck = s.duration("stuckAfter", Assist.DEFAULT.stuckAfter(), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration toB = s.duration("escalateToB", Assist.DEFAULT.escalateToB(), Duration.ofSeconds(1), Duration.ofHours(1));
        if (debounce != null && longPress != null && longPress.compareTo(debounce) <= 0) {
            problem(s.path("longPress"), "must be longer than assist.debounce (" + Durations.format(debounce) + ")");
        }
        if (longPress != null && stuck != null && stuck.compareTo(longPress) <= 0) {
            problem(s.path("stuckAfter"), "must be longer than assist.longPress (" + Durations.format(longPress) + ")");
        }
        return failures == mark ? new Assist(debounce, longPress, stuck, toB) : null;
    }

    private Issuance issuance(Section s) {
        if (!s.usable) {
            return null;
        }
        int mark = failures;
        Integer elderly = s.integer("elderlyAge", Issuance.DEFAULT_ELDERLY_AGE, 0, MAX_AGE);
        List<ConcessionBand> bands = concessions(s);
        Boolean byDefault = s.bool("concessionByDefault", Boolean.TRUE);
        Duration promised = s.duration("promisedDuration", Issuance.DEFAULT_PROMISED_DURATION,
                Duration.ofSeconds(10), Duration.ofHours(4));
        Path font = s.path("cardFont", false, null);
        if (font != null && Files.exists(font)) {
            // a font file not installed (yet) is no config problem: the terminal starts, its card face
            // reports it as health (cardface OFFLINE, what to install) and jobs are refused until then
            file(s.path("cardFont"), font);
        }
        return failures == mark
                ? new Issuance(elderly, bands, byDefault, promised, Optional.ofNullable(font)) : null;
    }

    private List<ConcessionBand> concessions(Section issuance) {
        List<Section> items = issuance.items("concessions");
        if (items == null) {
            return issuance.valid("concessions") ? Issuance.DEFAULT_CONCESSIONS : null;
        }
        int mark = failures;
        List<ConcessionBand> out = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (Section c : items) {
            Integer from = c.integer("fromAge", null, 0, MAX_AGE);
            Integer to = c.present("toAge") ? c.integer("toAge", null, 0, MAX_AGE) : null;
            ConcessionType type = c.choice("type", ConcessionType.class, null);
            if (from != null && to != null && to < from) {
                problem(c.path("toAge"), "must not be below fromAge (" + from + ")");
                continue;
            }
            if (from == null || type == null || (to == null && c.present("toAge"))) {
                continue;
            }
            ConcessionBand band = new ConcessionBand(from, to == null ? OptionalInt.empty() : OptionalInt.of(to), type);
            for (int k = 0; k < out.size(); k++) {
                if (overlap(out.get(k), band)) {
                    problem(c.path, "ages " + describe(band) + " overlap " + paths.get(k) + " (" + describe(out.get(k)) + ")");
                }
            }
            out.add(band);
            paths.add(c.path);
        }
        return failures == mark ? out : null;
    }

    private static boolean overlap(ConcessionBand x, ConcessionBand y) {
        int xTo = x.toAge().orElse(Integer.MAX_VALUE);
        int yTo = y.toAge().orElse(Integer.MAX_VALUE);
        return x.fromAge() <= yTo && y.fromAge() <= xTo;
    }

    private static String describe(ConcessionBand b) {
        return b.fromAge() + (b.toAge().isPresent() ? "-" + b.toAge().getAsInt() : "+");
    }

    private Logging logging(Section s) {
        if (!s.usable) {
            return null;
        }
        String level = s.string("level");
        if (level == null) {
            return s.valid("level") ? Logging.DEFAULT : null;
        }
        String upper = level.toUpperCase(Locale.ROOT);
        if (!Logging.LEVELS.contains(upper)) {
            problem(s.path("level"), "must be one of " + String.join(", ", Logging.LEVELS) + ", got '" + level + "'");
            return null;
        }
        return new Logging(upper);
    }

    // ---------------------------------------------------------------------------------------
    // checks shared by the sections

    private void problem(String path, String message) {
        failures++;
        String env = envOrigin.get(path);
        if (env == null && path.endsWith("]")) {
            env = envOrigin.get(path.substring(0, path.lastIndexOf('[')));
        }
        problems.add(path, env == null ? message : message + " (set by " + env + ")");
    }

    /** Whether {@code value} (null: already reported) matches {@code pattern}; reports it if not. */
    private boolean matches(String path, String value, Pattern pattern) {
        if (value == null) {
            return false;
        }
        if (!pattern.matcher(value).matches()) {
            problem(path, "'" + value + "' does not match " + pattern.pattern());
            return false;
        }
        return true;
    }

    private void wholeSeconds(String path, Duration d) {
        if (d != null && d.toMillis() % 1000 != 0) {
            problem(path, "must be whole seconds, got " + Durations.format(d));
        }
    }

    /** Whether the file is there to read (always true with file checks off); reports it if not. */
    private boolean file(String path, Path file) {
        if (!checkFiles) {
            return false;
        }
        if (!Files.exists(file)) {
            problem(path, "file not found: " + file);
            return false;
        }
        if (Files.isDirectory(file)) {
            problem(path, "is a directory, not a file: " + file);
            return false;
        }
        if (!Files.isReadable(file)) {
            problem(path, "cannot read the file (permissions?): " + file);
            return false;
        }
        return true;
    }

    /** The text of a small secret file, or null (reported). Never puts the content in a message. */
    private String readSmall(String path, Path file) {
        try {
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                problem(path, "is larger than " + MAX_KEY_FILE_BYTES / 1024 + " KiB; it should hold one secret: " + file);
                return null;
            }
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            problem(path, "cannot read the file: " + file + " (" + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    /** Items of a list written as a YAML string: comma-separated, trimmed. */
    static List<String> splitList(String text) {
        return Arrays.stream(text.split(",", -1)).map(String::strip).toList();
    }

    // ---------------------------------------------------------------------------------------

    /** One mapping of the tree at {@code path}, with typed getters that report what is wrong. */
    private final class Section {
        final String path;
        private final ObjectNode node;
        private final Group schema;
        /** Keys whose value had the wrong shape (reported): not to be reported again as missing. */
        private final Set<String> invalid = new HashSet<>();
        /** False when the section itself had the wrong shape: its keys are not reported missing. */
        private final boolean usable;

        Section(String path, JsonNode node, Group schema) {
            this.path = path;
            this.schema = schema;
            if (node == null || node.isNull()) {
                this.node = null;
                this.usable = true;
            } else if (!node.isObject()) {
                problem(path, "expected a mapping of keys, got " + describe(node));
                this.node = null;
                this.usable = false;
            } else {
                this.node = (ObjectNode) node;
                this.usable = true;
                reportUnknownKeys();
            }
        }

        private final java.util.Set<String> misspelt = new java.util.HashSet<>();

        private void reportUnknownKeys() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!schema.keys().containsKey(k)) {
                    Optional<String> near = Suggest.nearest(k, schema.keys().keySet());
                    // a misspelt key stands for the key it resembles: its "missing" would be the same mistake
                    near.filter(n -> !node.has(n)).ifPresent(misspelt::add);
                    problem(path(k), "unknown key" + near.map(n -> "; did you mean '" + n + "'?")
                            .orElse("; valid keys here: " + String.join(", ", schema.keys().keySet())));
                }
            }
        }

        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private JsonNode raw(String key) {
            if (!schema.keys().containsKey(key)) {
                throw new IllegalStateException("not in the schema: " + path(key));
            }
            if (node == null) {
                return null;
            }
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : v;
        }

        /** Whether the key holds a value (not absent, not null, not blank). */
        boolean present(String key) {
            JsonNode v = raw(key);
            return v != null && !(v.isTextual() && v.asText().isBlank());
        }

        /** Whether the key was not reported for a wrong shape (so "missing" makes sense to say). */
        boolean valid(String key) {
            raw(key);
            return usable && !invalid.contains(key);
        }

        void missing(String key) {
            String p = path(key);
            if (!valid(key)) {
                return; // its wrong shape is reported (and counted) already
            }
            if (misspelt.contains(key)) {
                failures++; // reported once, as the misspelt key that should have been this one
                return;
            }
            if (problems.list().stream().anyMatch(q -> p.equals(q.field()))) {
                failures++; // e.g. an alias reported by the YAML reader: a value is still missing
            } else {
                problem(p, "required value missing");
            }
        }

        /** The scalar text of {@code key}, or null when absent or blank, or not a scalar (reported). */
        String string(String key) {
            JsonNode v = raw(key);
            if (v == null) {
                return null;
            }
            if (!v.isValueNode()) {
                invalid.add(key);
                problem(path(key), "expected a single value, got " + describe(v));
                return null;
            }
            String s = v.asText().strip();
            return s.isEmpty() ? null : s;
        }

        String required(String key) {
            String s = string(key);
            if (s == null) {
                missing(key);
            }
            return s;
        }

        /** A whole number in [min, max]; {@code def} when absent (null def: required). */
        Integer integer(String key, Integer def, int min, int max) {
            String s = string(key);
            if (s == null) {
                if (def == null) {
                    missing(key);
                }
                return valid(key) ? def : null;
            }
            if (!INTEGER.matcher(s).matches()) {
                problem(path(key), "expected a whole number, got '" + s + "'");
                return null;
            }
            long n;
            try {
                n = Long.parseLong(s.replace("_", "").replace("+", ""));
            } catch (NumberFormatException e) {
                n = s.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            if (n < min || n > max) {
                problem(path(key), max == Integer.MAX_VALUE ? "must be at least " + min + ", got " + s
                        : "must be between " + min + " and " + max + ", got " + s);
                return null;
            }
            return (int) n;
        }

        Boolean bool(String key, Boolean def) {
            String s = string(key);
            if (s == null) {
                return valid(key) ? def : null;
            }
            switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> {
                    return Boolean.TRUE;
                }
                case "false", "no", "off" -> {
                    return Boolean.FALSE;
                }
                default -> {
                    problem(path(key), "expected true or false, got '" + s + "'");
                    return null;
                }
            }
        }

        Duration duration(String key, Duration def, Duration min, Duration max) {
            String s = string(key);
            if (s == null) {
                return valid(key) ? def : null;
            }
            Optional<Duration> d = Durations.parse(s);
            if (d.isEmpty()) {
                problem(path(key), "expected a duration such as 500ms, 3s, 10m or 1h, got '" + s + "'");
                return null;
            }
            if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
                problem(path(key), "must be between " + Durations.format(min) + " and " + Durations.format(max)
                        + ", got " + s);
                return null;
            }
            return d.get();
        }

        /** One of the enum's constants written in lower case; {@code def} when absent (null: required). */
        <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
            String s = string(key);
            List<String> names = Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
            if (s == null) {
                if (def == null) {
                    missing(key);
                }
                return valid(key) ? def : null;
            }
            int i = names.indexOf(s.toLowerCase(Locale.ROOT));
            if (i < 0) {
                problem(path(key), "must be one of " + String.join(", ", names) + ", got '" + s + "'");
                return null;
            }
            return type.getEnumConstants()[i];
        }

        /** A path; relative ones are resolved against the config file's directory. */
        Path path(String key, boolean required, Path def) {
            String s = required ? required(key) : string(key);
            if (s == null) {
                return valid(key) ? def : null;
            }
            try {
                return baseDir.resolve(s).normalize();
            } catch (InvalidPathException e) {
                problem(path(key), "not a file path: '" + s + "'");
                return null;
            }
        }

        /** A list of scalars: a YAML list or one comma-separated string; null when absent or invalid. */
        List<String> list(String key) {
            if (!(schema.keys().get(key) instanceof ScalarList)) {
                throw new IllegalStateException("not a list in the schema: " + path(key));
            }
            JsonNode v = raw(key);
            if (v == null) {
                return null;
            }
            List<String> items = new ArrayList<>();
            if (v.isValueNode()) {
                String text = v.asText().strip();
                if (!text.isEmpty()) {
                    items.addAll(splitList(text));
                }
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isValueNode() || item.isNull()) {
                        items.add(item.isNull() ? "" : null);
                    } else {
                        items.add(item.asText().strip());
                    }
                }
            } else {
                invalid.add(key);
                problem(path(key), "expected a list, got " + describe(v));
                return null;
            }
            if (items.size() > MAX_LIST_ITEMS) {
                invalid.add(key);
                problem(path(key), "has " + items.size() + " items; at most " + MAX_LIST_ITEMS);
                return null;
            }
            boolean ok = true;
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) == null) {
                    problem(path(key) + "[" + i + "]", "expected a single value, got " + describe(v.get(i)));
                    ok = false;
                } else if (items.get(i).isEmpty()) {
                    problem(path(key) + "[" + i + "]", "empty item");
                    ok = false;
                }
            }
            if (!ok) {
                invalid.add(key);
                return null;
            }
            return List.copyOf(items);
        }

        /** The sub-mapping under {@code key}; an empty one when absent. */
        Section section(String key) {
            Key k = schema.keys().get(key);
            if (!(k instanceof Group g)) {
                throw new IllegalStateException("not a section in the schema: " + path(key));
            }
            Section s = new Section(path(key), raw(key), g);
            if (!s.usable) {
                invalid.add(key);
            }
            return s;
        }

        /** The mappings of a list under {@code key}; null when absent or not a list (reported). */
        List<Section> items(String key) {
            Key k = schema.keys().get(key);
            if (!(k instanceof GroupList gl)) {
                throw new IllegalStateException("not a list of sections in the schema: " + path(key));
            }
            JsonNode v = raw(key);
            if (v == null) {
                return null;
            }
            if (!v.isArray()) {
                invalid.add(key);
                problem(path(key), "expected a list, got " + describe(v));
                return null;
            }
            if (v.size() > MAX_LIST_ITEMS) {
                invalid.add(key);
                problem(path(key), "has " + v.size() + " items; at most " + MAX_LIST_ITEMS);
                return null;
            }
            List<Section> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                String itemPath = path(key) + "[" + i + "]";
                if (item.isNull()) {
                    problem(itemPath, "empty item");
                    continue;
                }
                Section s = new Section(itemPath, item, gl.item());
                if (s.usable) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isNull()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return "'" + n.asText() + "'";
    }
}
