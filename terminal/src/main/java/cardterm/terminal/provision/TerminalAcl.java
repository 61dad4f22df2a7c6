package cardterm.terminal.provision;

import java.util.List;

/**
 * The mosquitto ACL block of one terminal: its user name is its terminal id, and it may write only
 * the topics hub-contract.md gives a terminal under its own site and id (state, health, metrics,
 * reply, the four event kinds) and read only its own commands. No {@code +} in the site or id:
 * a terminal cannot publish under another site's name nor another terminal's id.
 */
public final class TerminalAcl {
    /** The event kinds of hub-contract.md ({@code event/{kind}}). */
    public static final List<String> EVENT_KINDS = List.of("issuance", "assist", "device", "audit");

    private TerminalAcl() {}

    /** The block, ending with a blank line. */
    public static String block(String site, String terminal) {
        String root = "cardterm/v1/" + site + "/" + terminal;
        StringBuilder b = new StringBuilder();
        b.append("# terminal ").append(terminal).append(" at site ").append(site).append(" (cardterm provision)\n");
        b.append("user ").append(terminal).append('\n');
        for (String suffix : List.of("state", "health", "metrics", "reply")) {
            b.append("topic write ").append(root).append('/').append(suffix).append('\n');
        }
        for (String kind : EVENT_KINDS) {
            b.append("topic write ").append(root).append("/event/").append(kind).append('\n');
        }
        b.append("topic read ").append(root).append("/cmd/+\n\n");
        return b.toString();
    }
}
