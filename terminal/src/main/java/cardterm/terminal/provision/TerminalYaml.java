package cardterm.terminal.provision;

/**
 * The {@code terminal.yaml} of a provisioned terminal: identity, hub link and its files (named
 * relative to the config's directory), and the site-specific keys (readers, printer) at values a
 * technician checks on site; buttons and posts are left out (none until added).
 */
final class TerminalYaml {
    private TerminalYaml() {}

    static String text(Provisioner.Terminal t, boolean tls, boolean clientCertificate) {
        StringBuilder y = new StringBuilder();
        y.append("# cardterm terminal configuration made by `cardterm provision` for terminal ").append(t.terminal())
                .append(" at site ").append(t.site()).append(".\n");
        y.append("# Copy this directory to /etc/cardterm (chown root:cardterm, chmod 0640 the key files), check the\n");
        y.append("# reader names (pcsc_scan) and the printer port on site, add buttons and posts (see the shipped\n");
        y.append("# example /etc/cardterm/terminal.yaml), then: cardterm config check /etc/cardterm/terminal.yaml\n\n");
        y.append("terminal:\n");
        y.append("  id: ").append(t.terminal()).append('\n');
        y.append("  site: ").append(t.site()).append('\n');
        y.append("\nhub:\n");
        y.append("  uri:                        # tried in turn\n");
        for (String u : t.hubUris()) {
            y.append("    - ").append(u).append('\n');
        }
        y.append("  username: ").append(t.terminal()).append('\n');
        y.append("  passwordFile: hub.password\n");
        if (tls) {
            y.append("  tls:\n");
            y.append("    caFile: hub-ca.pem\n");
            if (clientCertificate) {
                y.append("    certFile: terminal.pem\n");
                y.append("    keyFile: terminal.key\n");
            }
        }
        y.append("  commandKeyFile: command.key\n");
        y.append("\nreader:\n");
        y.append("  card: /ACS ACR39U/          # check on site: pcsc_scan lists the readers\n");
        y.append("  sam: \"/SAM/\"\n");
        y.append("\nprinter:\n");
        y.append("  port: /dev/cardprinter      # the udev rule's name (99-cardterm-printer.rules.example)\n");
        return y.toString();
    }
}
