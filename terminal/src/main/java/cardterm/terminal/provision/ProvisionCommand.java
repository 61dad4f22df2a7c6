package cardterm.terminal.provision;

import cardterm.terminal.ExitCodes;
import cardterm.terminal.Ids;
import cardterm.terminal.hub.HubSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardterm provision}: one terminal ({@code --site S --terminal T}) or a branch rollout
 * ({@code --csv FILE}, columns {@code site,terminal[,hub URIs separated by spaces]}): see
 * {@link Provisioner} for what is written. Every problem of the input is listed at once (exit 2)
 * before anything is written.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Make what a terminal needs and the hub's half: command key, MQTT password and the",
            "password_file line, an ACL block pinning its site and id, a client certificate (with --ca),",
            "and its terminal.yaml. One terminal (--site, --terminal) or many (--csv)."})
public final class ProvisionCommand implements Callable<Integer> {
    /** The hub URI written when none is given. */
    public static final String DEFAULT_HUB = "ssl://hub.cardterm.example:8883";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--site", paramLabel = "S", description = "The terminal's site.")
    String site;

    @Option(names = "--terminal", paramLabel = "T", description = "The terminal id (unique across all sites).")
    String terminal;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Many terminals: lines site,terminal[,hub URIs separated by spaces]; a header line"
                    + " 'site,terminal,...' and lines starting with # are skipped.")
    Path csv;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "provision",
            description = "Where to write (default: ${DEFAULT-VALUE}); DIR/T for each terminal, DIR/hub for the hub.")
    Path out;

    @Option(names = "--hub", paramLabel = "URI",
            description = "Broker URI, tcp:// or ssl://, repeatable: tried in turn (default " + DEFAULT_HUB + ").")
    List<String> hubs = new ArrayList<>();

    @Option(names = "--hub-ca", paramLabel = "FILE",
            description = "CA of the broker's certificate for ssl:// hubs (default: --ca).")
    Path hubCa;

    @Option(names = "--ca", paramLabel = "CA.pem", description = "CA certificate to sign a client certificate with.")
    Path ca;

    @Option(names = "--ca-key", paramLabel = "KEY.pem", description = "The CA's private key.")
    Path caKey;

    @Option(names = "--days", paramLabel = "N", defaultValue = "825",
            description = "Validity of client certificates in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outw = spec.commandLine().getOut();
        List<String> problems = new ArrayList<>();
        List<Provisioner.Terminal> terminals = new ArrayList<>();
        List<String> defaultHubs = hubs.isEmpty() ? List.of(DEFAULT_HUB) : List.copyOf(hubs);
        for (int i = 0; i < hubs.size(); i++) {
            String p = HubSettings.uriProblem(hubs.get(i));
            if (p != null) {
                problems.add("--hub " + hubs.get(i) + ": " + p);
            }
        }
        if (csv != null) {
            if (site != null || terminal != null) {
                problems.add("--csv provisions from a file: leave out --site and --terminal");
            }
            readCsv(csv, defaultHubs, terminals, problems);
        } else if (site == null || terminal == null) {
            problems.add("give --site and --terminal, or --csv FILE");
        } else {
            checkIds("", site, terminal, problems);
            terminals.add(new Provisioner.Terminal(site, terminal, defaultHubs));
        }
        if ((ca == null) != (caKey == null)) {
            problems.add("--ca and --ca-key go together");
        }
        readable("--ca", ca, problems);
        readable("--ca-key", caKey, problems);
        readable("--hub-ca", hubCa, problems);
        if (days < 1 || days > 3650) {
            problems.add("--days: " + days + " is not within 1..3650");
        }
        boolean anyTls = terminals.stream().flatMap(t -> t.hubUris().stream()).anyMatch(u -> u.startsWith("ssl:"));
        if (anyTls && hubCa == null && ca == null) {
            problems.add("an ssl:// hub needs the CA of the broker's certificate: --hub-ca FILE (or --ca)");
        }
        if (ca != null && !ClientCertificate.available()) {
            problems.add("--ca: client certificates are made with openssl, which cannot be run"
                    + " (apt-get install -y openssl)");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            problems.add("--out " + out + ": not a directory");
        }
        for (Provisioner.Terminal t : terminals) {
            if (Files.exists(out.resolve(t.terminal()))) {
                problems.add(t.terminal() + ": already provisioned (" + out.resolve(t.terminal())
                        + " exists; remove it to provision the terminal again)");
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("cardterm provision: " + p));
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        Provisioner provisioner = new Provisioner(new Provisioner.Settings(out, ca, caKey, hubCa, days));
        int failed = 0;
        for (Provisioner.Terminal t : terminals) {
            try {
                Path dir = provisioner.provision(t);
                outw.println("provisioned " + t.site() + "/" + t.terminal() + ": " + dir);
            } catch (IOException | ClientCertificate.Failure e) {
                failed++;
                err.println("cardterm provision: " + t.site() + "/" + t.terminal() + ": " + e.getMessage());
            }
        }
        try {
            provisioner.assembleHubFiles();
        } catch (IOException e) {
            err.println("cardterm provision: writing the hub's files in " + out.resolve("hub") + ": " + e.getMessage());
            failed++;
        }
        outw.println("hub: " + out.resolve("hub/password_file") + " and " + out.resolve("hub/acl")
                + " (mosquitto password_file and acl_file); command keys and certificates in "
                + out.resolve("hub/terminals"));
        outw.flush();
        err.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static void readCsv(Path file, List<String> defaultHubs, List<Provisioner.Terminal> terminals,
            List<String> problems) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add("--csv " + file + ": cannot read: " + e.getMessage());
            return;
        }
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = file + ":" + (i + 1) + ": ";
            if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.toLowerCase().startsWith("site,"))) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length < 2 || cells.length > 3) {
                problems.add(where + "expected site,terminal[,hub URIs] but found " + cells.length + " column(s)");
                continue;
            }
            String s = cells[0].strip();
            String t = cells[1].strip();
            int before = problems.size();
            checkIds(where, s, t, problems);
            List<String> uris = defaultHubs;
            if (cells.length == 3 && !cells[2].isBlank()) {
                uris = List.of(cells[2].strip().split("\\s+"));
                for (String u : uris) {
                    String p = HubSettings.uriProblem(u);
                    if (p != null) {
                        problems.add(where + "hub " + u + ": " + p);
                    }
                }
            }
            Integer earlier = lineOf.putIfAbsent(t, i + 1);
            if (earlier != null) {
                problems.add(where + "terminal " + t + " is on line " + earlier + " already (ids are unique across sites)");
            }
            if (problems.size() == before) {
                terminals.add(new Provisioner.Terminal(s, t, uris));
            }
        }
        if (lineOf.isEmpty() && problems.isEmpty()) {
            problems.add("--csv " + file + ": no terminals in it");
        }
    }

    private static void checkIds(String where, String s, String t, List<String> problems) {
        if (!Ids.SEGMENT.matcher(s).matches()) {
            problems.add(where + "site '" + s + "' must match " + Ids.SEGMENT.pattern());
        }
        if (!Ids.SEGMENT.matcher(t).matches()) {
            problems.add(where + "terminal '" + t + "' must match " + Ids.SEGMENT.pattern());
        }
    }

    private static void readable(String option, Path file, List<String> problems) {
        if (file != null && !Files.isReadable(file)) {
            problems.add(option + " " + file + ": " + (Files.exists(file) ? "cannot be read" : "no such file"));
        }
    }
}
