package cardterm.terminal.config;

import cardterm.terminal.config.TerminalConfig.Button;
import cardterm.terminal.config.TerminalConfig.ConcessionBand;
import cardterm.terminal.config.TerminalConfig.Post;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

        ObjectNode h = root.putObject("hub");
        ArrayNode uris = h.putArray("uri");
        c.hub().uris().stream().map(URI::toString).forEach(uris::add);
        c.hub().username().ifPresent(u -> h.put("username", u));
        c.hub().passwordFile().ifPresent(p -> h.put("passwordFile", path(p)));
        ObjectNode tls = NODES.objectNode();
        c.hub().tls().caFile().ifPresent(p -> tls.put("caFile", path(p)));
        c.hub().tls().certFile().ifPresent(p -> tls.put("certFile", path(p)));
        c.hub().tls().keyFile().ifPresent(p -> tls.put("keyFile", path(p)));
        if (!tls.isEmpty()) {
            h.set("tls", tls);
        }
        h.put("keepAlive", d(c.hub().keepAlive()));
        h.put("connectTimeout", d(c.hub().connectTimeout()));
        ObjectNode r = h.putObject("reconnect");
        r.put("initialDelay", d(c.hub().reconnect().initialDelay()));
        r.put("maxDelay", d(c.hub().reconnect().maxDelay()));
        h.put("inflightWindow", c.hub().inflightWindow());
        h.put("commandKeyFile", path(c.hub().commandKeyFile()));

        root.putObject("outbox").put("maxEvents", c.outbox().maxEvents());
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

        ArrayNode posts = root.putArray("posts");
        for (Post p : c.posts()) {
            ObjectNode o = posts.addObject();
            o.put("name", p.name());
            list(o.putArray("a"), p.a());
            list(o.putArray("b"), p.b());
        }
        list(root.putArray("supervisors"), c.supervisors());

        ArrayNode buttons = root.putArray("buttons");
        for (Button b : c.buttons()) {
            ObjectNode o = buttons.addObject();
            o.put("id", b.id());
            o.put("pin", b.pin());
            o.put("pull", b.pull().configName());
            o.put("activeLow", b.activeLow());
            o.put("location", b.location());
            o.put("post", b.post());
            o.putObject("lamp").put("pin", b.lamp().pin());
            o.putObject("buzzer").put("pin", b.buzzer().pin());
        }

        ObjectNode a = root.putObject("assist");
        a.put("debounce", d(c.assist().debounce()));
        a.put("longPress", d(c.assist().longPress()));
        a.put("stuckAfter", d(c.assist().stuckAfter()));
        a.put("escalateToB", d(c.assist().escalateToB()));

        ObjectNode i = root.putObject("issuance");
        i.put("elderlyAge", c.issuance().elderlyAge());
        ArrayNode bands = i.putArray("concessions");
        for (ConcessionBand band : c.issuance().concessions()) {
            ObjectNode o = bands.addObject();
            o.put("fromAge", band.fromAge());
            band.toAge().ifPresent(to -> o.put("toAge", to));
            o.put("type", band.type().wireName());
        }
        i.put("concessionByDefault", c.issuance().concessionByDefault());
        i.put("promisedDuration", d(c.issuance().promisedDuration()));
        c.issuance().cardFont().ifPresent(p -> i.put("cardFont", path(p)));

        root.putObject("logging").put("level", c.logging().level());
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
