package cardterm.terminal.hub;

import cardterm.devices.check.Problems;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the terminal reaches the hub's MQTT broker. Immutable; checked when made, with every problem
 * reported at once ({@link InvalidSettings}).
 *
 * @param uris brokers to try in turn: {@code tcp://host:port} or {@code ssl://host:port}
 * @param site the site id ({@link cardterm.terminal.Ids#SEGMENT})
 * @param terminal the terminal id (same pattern)
 * @param clientId the MQTT client id
 * @param keepAlive MQTT keep-alive, whole seconds, at least 1 s; a silent link is found dead after
 *     about one and a half times this
 * @param connectTimeout how long one connection attempt may take, whole seconds
 * @param backoffInitial the first retry waits up to this (full jitter), doubling per failure
 * @param backoffMax the longest wait between attempts
 * @param inflightWindow events published and not yet acknowledged, at most
 * @param caFile PEM file of the CA certificates to trust for {@code ssl://}; null: the JVM's
 * @param clientCertFile PEM client certificate (chain), or null
 * @param clientKeyFile PEM private key of the client certificate (PKCS#8, PKCS#1 RSA or SEC1 EC),
 *     or null
 * @param username MQTT user name, or null
 * @param passwordFile the file the password was read from (as configured), or null
 * @param password MQTT password, or null
 * @param commandKeyFile file holding the command HMAC key as text (at least 32 characters), or
 *     null: then every command is refused as {@code UNAUTHENTICATED}
 */
public record HubSettings(
        List<String> uris,
        String site,
        String terminal,
        String clientId,
        Duration keepAlive,
        Duration connectTimeout,
        Duration backoffInitial,
        Duration backoffMax,
        int inflightWindow,
        Path caFile,
        Path clientCertFile,
        Path clientKeyFile,
        String username,
        Path passwordFile,
        String password,
        Path commandKeyFile) {

    public static final Pattern ID = cardterm.terminal.Ids.SEGMENT;
    public static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);
    public static final int DEFAULT_INFLIGHT_WINDOW = 100;
    public static final int MAX_INFLIGHT_WINDOW = 10_000;

    /** Settings that are not acceptable, with every problem found. */
    public static final class InvalidSettings extends IllegalArgumentException {
        private final transient Problems problems;

        public InvalidSettings(Problems problems) {
            super("invalid hub settings: " + problems);
            this.problems = problems;
        }

        public Problems problems() {
            return problems;
        }
    }

    public HubSettings {
        uris = uris == null ? List.of() : List.copyOf(uris);
        Problems p = check(uris, site, terminal, clientId, keepAlive, connectTimeout, backoffInitial, backoffMax,
                inflightWindow, clientCertFile, clientKeyFile, username, passwordFile, password);
        if (!p.isEmpty()) {
            throw new InvalidSettings(p);
        }
    }

    private static Problems check(List<String> uris, String site, String terminal, String clientId,
            Duration keepAlive, Duration connectTimeout, Duration backoffInitial, Duration backoffMax,
            int inflightWindow, Path clientCertFile, Path clientKeyFile, String username, Path passwordFile,
            String password) {
        Problems p = new Problems();
        if (uris.isEmpty()) {
            p.add("uris", "at least one broker URI is needed");
        }
        for (int i = 0; i < uris.size(); i++) {
            String problem = uriProblem(uris.get(i));
            if (problem != null) {
                p.add("uris[" + i + "]", problem);
            }
        }
        if (site == null || !ID.matcher(site).matches()) {
            p.add("site", "must match " + ID.pattern());
        }
        if (terminal == null || !ID.matcher(terminal).matches()) {
            p.add("terminal", "must match " + ID.pattern());
        }
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            p.add("clientId", "must match " + CLIENT_ID.pattern());
        }
        wholeSeconds(p, "keepAlive", keepAlive, 1, 65_535);
        wholeSeconds(p, "connectTimeout", connectTimeout, 1, 600);
        if (backoffInitial == null || backoffInitial.isNegative() || backoffInitial.isZero()) {
            p.add("backoffInitial", "must be positive");
        }
        if (backoffMax == null || (backoffInitial != null && backoffMax.compareTo(backoffInitial) < 0)) {
            p.add("backoffMax", "must be at least backoffInitial");
        }
        if (inflightWindow < 1 || inflightWindow > MAX_INFLIGHT_WINDOW) {
            p.add("inflightWindow", "must be 1.." + MAX_INFLIGHT_WINDOW + ", got " + inflightWindow);
        }
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            p.add(clientCertFile == null ? "clientCertFile" : "clientKeyFile",
                    "a client certificate needs both the certificate and the key file");
        }
        if ((password != null || passwordFile != null) && username == null) {
            p.add("username", "a password needs a user name");
        }
        return p;
    }

    /** What is wrong with {@code s} as a broker URI ({@code tcp://host:port} or {@code ssl://host:port}), or null. */
    public static String uriProblem(String s) {
        if (s == null || s.isBlank()) {
            return "empty";
        }
        try {
            URI u = new URI(s);
            if (!"tcp".equals(u.getScheme()) && !"ssl".equals(u.getScheme())) {
                return "scheme must be tcp or ssl: " + s;
            }
            if (u.getHost() == null || u.getPort() < 1) {
                return "needs a host and a port (tcp://host:1883): " + s;
            }
            if (u.getPath() != null && !u.getPath().isEmpty() || u.getQuery() != null) {
                return "no path or query allowed: " + s;
            }
            return null;
        } catch (URISyntaxException e) {
            return "not a URI: " + s;
        }
    }

    private static void wholeSeconds(Problems p, String field, Duration d, long min, long max) {
        if (d == null) {
            p.add(field, "required");
        } else if (d.getNano() != 0 || d.getSeconds() < min || d.getSeconds() > max) {
            p.add(field, "must be whole seconds in " + min + ".." + max + ", got " + d);
        }
    }

    public boolean usesTls() {
        return uris.stream().anyMatch(u -> u.startsWith("ssl:"));
    }

    public Topics topics() {
        return new Topics(site, terminal);
    }

    public FullJitterBackoff backoff() {
        return new FullJitterBackoff(backoffInitial, backoffMax);
    }

    @Override
    public String toString() {
        return "HubSettings[uris=" + uris + ", site=" + site + ", terminal=" + terminal + ", clientId=" + clientId
                + ", keepAlive=" + keepAlive + ", connectTimeout=" + connectTimeout + ", backoff=" + backoffInitial
                + ".." + backoffMax + ", inflightWindow=" + inflightWindow + ", caFile=" + caFile
                + ", clientCertFile=" + clientCertFile + ", clientKeyFile=" + clientKeyFile + ", username="
                + username + ", passwordFile=" + passwordFile + ", password=" + (password == null ? "none" : "***") + ", commandKeyFile="
                + commandKeyFile + "]";
    }

    /** A builder with the defaults; only broker URIs, site and terminal are needed. */
    public static Builder builder(String site, String terminal) {
        return new Builder(site, terminal);
    }

    /** Copies these settings into a builder, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder(site, terminal);
        b.uris = new ArrayList<>(uris);
        b.clientId = clientId;
        b.keepAlive = keepAlive;
        b.connectTimeout = connectTimeout;
        b.backoffInitial = backoffInitial;
        b.backoffMax = backoffMax;
        b.inflightWindow = inflightWindow;
        b.caFile = caFile;
        b.clientCertFile = clientCertFile;
        b.clientKeyFile = clientKeyFile;
        b.username = username;
        b.passwordFile = passwordFile;
        b.password = password;
        b.commandKeyFile = commandKeyFile;
        return b;
    }

    /** Builds {@link HubSettings}; the client id defaults to {@code cardterm-{terminal}}. */
    public static final class Builder {
        private final String site;
        private final String terminal;
        private List<String> uris = new ArrayList<>();
        private String clientId;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private int inflightWindow = DEFAULT_INFLIGHT_WINDOW;
        private Path caFile;
        private Path clientCertFile;
        private Path clientKeyFile;
        private String username;
        private Path passwordFile;
        private String password;
        private Path commandKeyFile;

        private Builder(String site, String terminal) {
            this.site = site;
            this.terminal = terminal;
        }

        public Builder uris(List<String> value) {
            this.uris = new ArrayList<>(Objects.requireNonNull(value));
            return this;
        }

        public Builder uri(String value) {
            this.uris.add(value);
            return this;
        }

        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        public Builder keepAlive(Duration value) {
            this.keepAlive = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        public Builder inflightWindow(int value) {
            this.inflightWindow = value;
            return this;
        }

        /** CA file to trust (PEM), and optionally a client certificate and key (PEM). */
        public Builder tls(Path ca, Path clientCert, Path clientKey) {
            this.caFile = ca;
            this.clientCertFile = clientCert;
            this.clientKeyFile = clientKey;
            return this;
        }

        public Builder credentials(String user, String pass) {
            this.username = user;
            this.password = pass;
            return this;
        }

        /** The file the password is read from (kept to say where it came from; the password is given too). */
        public Builder passwordFile(Path value) {
            this.passwordFile = value;
            return this;
        }

        public Builder commandKeyFile(Path value) {
            this.commandKeyFile = value;
            return this;
        }

        public HubSettings build() {
            String id = clientId != null ? clientId : terminal == null ? null : "cardterm-" + terminal;
            return new HubSettings(uris, site, terminal, id, keepAlive, connectTimeout, backoffInitial, backoffMax,
                    inflightWindow, caFile, clientCertFile, clientKeyFile, username, passwordFile, password,
                    commandKeyFile);
        }
    }
}
