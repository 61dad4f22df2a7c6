package cardterm.terminal.config;

import cardterm.devices.gpio.ActiveLevel;
import cardterm.terminal.assist.AssistConfig;
import cardterm.terminal.assist.AssistConfig.ButtonConfig;
import cardterm.terminal.hub.HubSettings;
import cardterm.terminal.issuance.IssuancePolicy;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link TerminalConfig} as {@code terminal.yaml} text that {@link ConfigLoader} reads
 * back to an equal config (every key written, defaults included; no comments).
 */
public final class ConfigWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private ConfigWriter() {
    }

    /** The YAML text of {@code c}. */
    public static String toYaml(TerminalConfig c) {
        ObjectNode root = NODES.objectNode();
        ObjectNode t = root.putObject("terminal");
        t.put("id", c.terminal().id());
        t.put("site", c.terminal().site());
        t.put("dataDir", path(c.terminal().dataDir()));
        t.put("timeZone", c.terminal().timeZone().getId());

        HubSettings hub = c.hub();
        ObjectNode h = root.putObject("hub");
        ArrayNode uris = h.putArray("uri");
        hub.uris().forEach(uris::add);
        if (hub.username() != null) {
            h.put("username", hub.username());
        }
        if (hub.passwordFile() != null) {
            h.put("passwordFile", path(hub.passwordFile()));
        }
        ObjectNode tls = NODES.objectNode();
        if (hub.caFile() != null) {
            tls.put("caFile", path(hub.caFile()));
        }
        if (hub.clientCertFile() != null) {
            tls.put("certFile", path(hub.clientCertFile()));
        }
        if (hub.clientKeyFile() != null) {
            tls.put("keyFile", path(hub.clientKeyFile()));
        }
        if (!tls.isEmpty()) {
            h.set("tls", tls);
        }
        h.put("keepAlive", d(hub.keepAlive()));
        h.put("connectTimeout", d(hub.connectTimeout()));
        ObjectNode r = h.putObject("reconnect");
        r.put("initialDelay", d(hub.backoffInitial()));
        r.put("maxDelay", d(hub.backoffMax()));
        h.put("inflightWindow", hub.inflightWindow());
        if (hub.commandKeyFile() != null) {
            h.put("commandKeyFile", path(hub.commandKeyFile()));
        }

        root.putObject("outbox").put("maxEvents", c.outbox().maxEntries());
        ObjectNode health = root.putObject("health");
        health.put("interval", d(c.health().interval()));
        health.put("metricsInterval", d(c.health().metricsInterval()));

        ObjectNode readers = root.putObject("reader");
        readers.put("card", c.readers().card().spec());
        readers.put("sam", c.readers().sam().spec());

        ObjectNode printer = root.putObject("printer");
        printer.put("port", c.printer().port().toString());
        printer.put("baud", c.printer().baud());
        printer.put("pollInterval", d(c.printer().pollInterval()));
        ObjectNode timeouts = printer.putObject("timeouts");
        timeouts.put("query", d(c.printer().timeouts().query()));
        timeouts.put("mechanical", d(c.printer().timeouts().mechanical()));

        ObjectNode gpio = root.putObject("gpio");
        gpio.put("provider", c.gpio().provider().configName());
        gpio.put("chip", c.gpio().chip());

        AssistConfig assist = c.assist();
        ArrayNode posts = root.putArray("posts");
        for (Map.Entry<String, AssistConfig.Post> p : assist.posts().entrySet()) {
            ObjectNode o = posts.addObject();
            o.put("name", p.getKey());
            list(o.putArray("a"), p.getValue().aStaff());
            list(o.putArray("b"), p.getValue().bStaff());
        }
        list(root.putArray("supervisors"), assist.supervisors());

        ArrayNode buttons = root.putArray("buttons");
        for (ButtonConfig b : assist.buttons()) {
            ObjectNode o = buttons.addObject();
            o.put("id", b.id());
            o.put("pin", b.wiring().buttonPin());
            o.put("pull", b.wiring().pull().name().toLowerCase(Locale.ROOT));
            o.put("activeLow", b.wiring().buttonActive() == ActiveLevel.LOW);
            o.put("location", b.location());
            o.put("post", b.post());
            o.putObject("lamp").put("pin", b.wiring().lampPin());
            o.putObject("buzzer").put("pin", b.wiring().buzzerPin());
        }

        ObjectNode a = root.putObject("assist");
        a.put("debounce", d(assist.timing().debounce()));
        a.put("longPress", d(assist.timing().longPress()));
        a.put("stuckAfter", d(assist.timing().stuckAfter()));
        a.put("escalateToB", d(assist.timing().escalateToB()));

        ObjectNode i = root.putObject("issuance");
        i.put("elderlyAge", c.issuance().elderlyAge());
        ArrayNode bands = i.putArray("concessions");
        for (IssuancePolicy.Band band : c.issuance().concessions()) {
            ObjectNode o = bands.addObject();
            o.put("fromAge", band.fromAge());
            band.toAge().ifPresent(to -> o.put("toAge", to));
            o.put("type", band.type().eventName());
        }
        i.put("concessionByDefault", c.issuance().concessionByDefault());
        i.put("promisedDuration", d(c.issuance().promisedDuration()));
        c.issuance().cardFont().ifPresent(p -> i.put("cardFont", path(p)));

        root.putObject("logging").put("level", c.logging().level());
        if (c.staff().hasMembers()) {
            ArrayNode staff = root.putArray("staff");
            for (cardterm.terminal.staff.StaffMember m : c.staff().members()) {
                ObjectNode o = staff.addObject();
                o.put("id", m.id());
                o.put("name", m.name());
                o.put("role", m.role().configName());
                if (m.post() != null) {
                    o.put("post", m.post());
                }
                o.put("pinHash", m.pinHash());
            }
        }
        ObjectNode console = root.putObject("console");
        console.put("bind", c.console().bind());
        console.put("port", c.console().port());
        console.put("idleTimeout", d(c.console().idleTimeout()));
        if (c.console().tls()) {
            ObjectNode ctls = console.putObject("tls");
            ctls.put("certFile", path(c.console().certFile()));
            ctls.put("keyFile", path(c.console().keyFile()));
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void list(ArrayNode a, List<String> items) {
        items.forEach(a::add);
    }

    private static String d(Duration d) {
        return Durations.format(d);
    }

    private static String path(Path p) {
        return p.toString();
    }
}
