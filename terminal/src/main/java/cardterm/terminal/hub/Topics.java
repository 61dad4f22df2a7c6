package cardterm.terminal.hub;

import cardterm.terminal.event.EventKind;
import java.util.Objects;
import java.util.Optional;

/**
 * The MQTT topics of one terminal under {@code cardterm/v1/{site}/{terminal}} (hub-contract.md).
 */
public record Topics(String site, String terminal) {
    /** The contract version segment. */
    public static final String PREFIX = "cardterm/v1/";

    public Topics {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(terminal, "terminal");
    }

    /** {@code cardterm/v1/{site}/{terminal}}. */
    public String root() {
        return PREFIX + site + "/" + terminal;
    }

    public String state() {
        return root() + "/state";
    }

    public String health() {
        return root() + "/health";
    }

    public String metrics() {
        return root() + "/metrics";
    }

    public String reply() {
        return root() + "/reply";
    }

    /** {@code .../event/{kind}}. */
    public String event(EventKind kind) {
        return root() + "/event/" + kind.topicName();
    }

    /** {@code .../cmd/+}: every command to this terminal. */
    public String commandFilter() {
        return root() + "/cmd/+";
    }

    /** {@code .../cmd/{name}}. */
    public String command(String name) {
        return root() + "/cmd/" + name;
    }

    /** The command name of a topic under {@code .../cmd/}, if it is one of this terminal's. */
    public Optional<String> commandName(String topic) {
        String prefix = root() + "/cmd/";
        if (topic == null || !topic.startsWith(prefix) || topic.length() == prefix.length()) {
            return Optional.empty();
        }
        String name = topic.substring(prefix.length());
        return name.indexOf('/') >= 0 ? Optional.empty() : Optional.of(name);
    }
}
