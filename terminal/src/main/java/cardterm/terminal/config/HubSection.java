package cardterm.terminal.config;

import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.config.TerminalConfig.Terminal;
import cardterm.terminal.hub.CommandKey;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.hub.PemTls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hub}: the MQTT link, into {@link HubSettings}. Besides the section's own rules it runs
 * what the link would find only when made: the settings' own check, and (with file checks) the
 * TLS files read as the link reads them, so a config that passes here starts.
 */
final class HubSection {
    /** {@code hub.inflightWindow} when not given. */
    static final int DEFAULT_INFLIGHT_WINDOW = 32;
    /** Site and terminal ids that stand in while the terminal section has problems, so the hub's are found too. */
    private static final String STAND_IN_ID = "stand-in";

    private HubSection() {}

    /** A builder for a terminal's hub settings with every value at the config's default. */
    static HubSettings.Builder defaults(String site, String terminal) {
        return HubSettings.builder(site, terminal).inflightWindow(DEFAULT_INFLIGHT_WINDOW);
    }

    /** The settings, or null when something is wrong (reported) or the terminal section is. */
    static HubSettings map(ConfigReader r, Section s, Terminal terminal) {
        if (!s.usable) {
            return null;
        }
        int mark = r.mark();
        List<URI> uris = new ArrayList<>();
        List<String> raw = s.list("uri");
        if (raw == null) {
            s.missing("uri");
        } else if (raw.isEmpty()) {
            r.problem(s.path("uri"), "needs at least one broker URI (tcp://host:1883 or ssl://host:8883)");
        } else {
            for (int i = 0; i < raw.size(); i++) {
                URI u = brokerUri(r, s.path("uri") + "[" + i + "]", raw.get(i));
                if (u != null) {
                    uris.add(u);
                }
            }
        }
        boolean ssl = uris.stream().anyMatch(u -> "ssl".equals(u.getScheme()));

        String username = s.string("username");
        Path passwordFile = s.path("passwordFile", false, null);
        String password = null;
        if (passwordFile != null) {
            if (username == null && s.valid("username")) {
                r.problem(s.path("passwordFile"), "needs hub.username as well");
            }
            if (r.file(s.path("passwordFile"), passwordFile)) {
                String text = r.readSmall(s.path("passwordFile"), passwordFile);
                if (text != null && text.isBlank()) {
                    r.problem(s.path("passwordFile"), "the file is empty: " + passwordFile);
                } else if (text != null) {
                    password = text.strip();
                }
            }
        }

        Section t = s.section("tls");
        Path ca = t.path("caFile", false, null);
        Path cert = t.path("certFile", false, null);
        Path key = t.path("keyFile", false, null);
        boolean tlsFilesThere = true;
        if (ca != null) {
            tlsFilesThere &= r.file(t.path("caFile"), ca);
        }
        if (cert != null) {
            tlsFilesThere &= r.file(t.path("certFile"), cert);
        }
        if (key != null) {
            boolean there = r.file(t.path("keyFile"), key);
            tlsFilesThere &= there;
            if (there) {
                r.readSmall(t.path("keyFile"), key); // a private key: the secret file rule (owner only, UTF-8)
            }
        }
        if (cert != null && key == null && t.valid("keyFile")) {
            r.problem(t.path("keyFile"), "required together with hub.tls.certFile (both or neither)");
        }
        if (key != null && cert == null && t.valid("certFile")) {
            r.problem(t.path("certFile"), "required together with hub.tls.keyFile (both or neither)");
        }
        if (ssl && ca == null && t.valid("caFile")) {
            r.problem(t.path("caFile"), "required when a hub.uri uses ssl://");
        }
        if (!ssl && raw != null && !uris.isEmpty() && uris.size() == raw.size()
                && (ca != null || cert != null || key != null)) {
            r.problem(t.path, "is set, but no hub.uri uses ssl:// (the link would not be encrypted)");
        }

        Duration keepAlive = s.duration("keepAlive", HubSettings.DEFAULT_KEEP_ALIVE, Duration.ofSeconds(1), Duration.ofHours(1));
        r.wholeSeconds(s.path("keepAlive"), keepAlive);
        Duration connectTimeout = s.duration("connectTimeout", HubSettings.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(1),
                Duration.ofMinutes(5));
        r.wholeSeconds(s.path("connectTimeout"), connectTimeout);

        Section rc = s.section("reconnect");
        Duration initial = rc.duration("initialDelay", HubSettings.DEFAULT_BACKOFF_INITIAL, Duration.ofMillis(100),
                Duration.ofMinutes(10));
        Duration max = rc.duration("maxDelay", HubSettings.DEFAULT_BACKOFF_MAX, Duration.ofSeconds(1), Duration.ofHours(1));
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            r.problem(rc.path("maxDelay"), "must not be shorter than hub.reconnect.initialDelay ("
                    + Durations.format(initial) + ")");
        }

        Integer window = s.integer("inflightWindow", DEFAULT_INFLIGHT_WINDOW, 1, 1000);

        Path keyFile = s.path("commandKeyFile", true, null);
        if (keyFile != null && r.file(s.path("commandKeyFile"), keyFile)) {
            String text = r.readSmall(s.path("commandKeyFile"), keyFile);
            if (text != null && text.strip().length() < CommandKey.MIN_CHARS) {
                r.problem(s.path("commandKeyFile"), "holds fewer than " + CommandKey.MIN_CHARS
                        + " characters (after trimming white space): " + keyFile);
            }
        }
        if (!r.cleanSince(mark)) {
            return null;
        }
        String site = terminal == null ? STAND_IN_ID : terminal.site();
        String id = terminal == null ? STAND_IN_ID : terminal.id();
        HubSettings.Builder b = defaults(site, id)
                .uris(uris.stream().map(URI::toString).toList())
                .keepAlive(keepAlive)
                .connectTimeout(connectTimeout)
                .backoff(initial, max)
                .inflightWindow(window)
                .credentials(username, password)
                .passwordFile(passwordFile)
                .commandKeyFile(keyFile);
        if (ca != null || cert != null || key != null) {
            b.tls(ca, cert, key);
        }
        HubSettings settings;
        try {
            settings = b.build();
        } catch (HubSettings.InvalidSettings e) {
            r.settingsProblems(e.problems(), field -> configPath(s, field));
            return null;
        }
        if (r.checksFiles() && settings.usesTls() && tlsFilesThere) {
            try {
                PemTls.context(settings.caFile(), settings.clientCertFile(), settings.clientKeyFile());
            } catch (PemTls.TlsFileException e) {
                r.problem(t.path, YamlTree.oneLine(e.getMessage()));
                return null;
            }
        }
        return terminal == null ? null : settings;
    }

    private static URI brokerUri(ConfigReader r, String path, String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            r.problem(path, "not a URI: '" + text + "' (" + e.getReason() + ")");
            return null;
        }
        if (u.getScheme() == null || !(u.getScheme().equals("tcp") || u.getScheme().equals("ssl"))) {
            r.problem(path, "'" + text + "' must start with tcp:// or ssl://");
            return null;
        }
        if (u.getHost() == null) {
            r.problem(path, "'" + text + "' has no host (e.g. tcp://hub.example:1883)");
            return null;
        }
        if (u.getRawUserInfo() != null) {
            r.problem(path, "must not hold credentials; use hub.username and hub.passwordFile");
            return null;
        }
        if ((u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null
                || u.getRawFragment() != null) {
            r.problem(path, "'" + text + "' must be scheme://host:port only, without a path or query");
            return null;
        }
        String linkProblem = HubSettings.uriProblem(text); // the link's own rule: a port, for one
        if (linkProblem != null) {
            r.problem(path, linkProblem);
            return null;
        }
        return u;
    }

    /** Where in the config a field of {@link HubSettings} comes from. */
    private static String configPath(Section s, String field) {
        if (field.startsWith("uris")) {
            return s.path("uri") + field.substring("uris".length());
        }
        return switch (field) {
            case "site" -> "terminal.site";
            case "terminal", "clientId" -> "terminal.id";
            case "backoffInitial" -> s.path("reconnect") + ".initialDelay";
            case "backoffMax" -> s.path("reconnect") + ".maxDelay";
            case "caFile" -> s.path("tls") + ".caFile";
            case "clientCertFile" -> s.path("tls") + ".certFile";
            case "clientKeyFile" -> s.path("tls") + ".keyFile";
            default -> s.path(field);
        };
    }
}
