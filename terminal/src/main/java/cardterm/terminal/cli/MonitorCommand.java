package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import cardterm.terminal.hub.PemTls;
import cardterm.terminal.monitor.FleetTable;
import cardterm.terminal.monitor.FleetView;
import cardterm.terminal.monitor.FleetWatcher;
import cardterm.terminal.monitor.TerminalView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.paho.client.mqttv3.MqttException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardterm monitor --broker URI [--site S] [--once] [--json]}: a technician's view of all
 * terminals from their retained {@code state} and {@code health} (and the events seen while
 * watching): site, terminal, online or offline since when, each device's state, supplies, backlog,
 * last event; terminals with problems come first, marked {@code !!}. {@code --once} prints one
 * table and exits: 0 when no terminal has a problem, 1 when one has (or none was found), 2 for bad
 * input. {@code --serve} serves the fleet page for technicians instead (see {@link #serve}).
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Live view of all terminals from the broker's retained state and health; problems first.")
public final class MonitorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--broker", required = true, paramLabel = "URI", description = "tcp://HOST:PORT or ssl://HOST:PORT")
    String broker;

    @Option(names = "--site", description = "Only this site's terminals.")
    String site;

    @Option(names = "--problem", split = ",", paramLabel = "WHAT",
            description = "Only terminals with this problem: any, offline, supply, backlog, conflict, or a health "
                    + "reason such as SUPPLY_EMPTY or LINK_DOWN (several: any of them).")
    List<String> problem = List.of();

    @Option(names = "--once", description = "Print one table and exit (exit 1 when any terminal has a problem).")
    boolean once;

    @Option(names = "--json", description = "JSON instead of a table.")
    boolean json;

    @Option(names = "--username", description = "MQTT user name.")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the MQTT password.")
    Path passwordFile;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "CA of the broker's certificate (ssl://).")
    Path caFile;

    @Option(names = "--wait", defaultValue = "5", paramLabel = "SECONDS",
            description = "--once: longest wait for the retained messages (default ${DEFAULT-VALUE} s).")
    int waitSeconds;

    @Option(names = "--refresh", defaultValue = "2", paramLabel = "SECONDS",
            description = "Live view: redraw every so often (default ${DEFAULT-VALUE} s).")
    int refreshSeconds;

    @Option(names = "--backlog-age", defaultValue = "300", paramLabel = "SECONDS",
            description = "A backlog whose oldest event waited longer is a problem (default ${DEFAULT-VALUE} s).")
    int backlogAgeSeconds;

    /** Quiet after the retained messages before the view counts as whole, in milliseconds. */
    static final long SETTLE_MS = 500;

    @Option(names = "--timing", hidden = true,
            description = "With --once: print to stderr how long connecting, taking in and printing took (bench monitor).")
    boolean timing;

    @Option(names = "--serve", description = "Serve the fleet page for technicians (web, live) instead of a table; "
            + "needs --staff.")
    boolean serve;

    @Option(names = "--staff", paramLabel = "FILE", description = "--serve: who may sign in: a YAML file with a staff: "
            + "list as in terminal.yaml (technicians and supervisors may sign in).")
    Path staffFile;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "--serve: the address to listen on (default ${DEFAULT-VALUE}; any other needs --tls-cert "
                    + "and --tls-key).")
    String bind;

    @Option(names = "--port", defaultValue = "8090", paramLabel = "N",
            description = "--serve: the TCP port (default ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "--serve: TLS certificate chain (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "--serve: TLS private key (PEM, PKCS#8).")
    Path tlsKey;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (site != null && !cardterm.terminal.Ids.valid(site)) {
            err.println("cardterm monitor: --site must match " + cardterm.terminal.Ids.SEGMENT.pattern());
            return ExitCodes.BAD_INPUT;
        }
        if (waitSeconds <= 0 || refreshSeconds <= 0 || backlogAgeSeconds <= 0) {
            err.println("cardterm monitor: --wait, --refresh and --backlog-age must be positive");
            return ExitCodes.BAD_INPUT;
        }
        List<String> filterProblems = new java.util.ArrayList<>();
        java.util.function.Predicate<TerminalView> shown = cardterm.terminal.monitor.ProblemFilter.parse(problem,
                filterProblems);
        FleetPageLaunch page = null;
        if (serve) {
            page = FleetPageLaunch.check(this, filterProblems);
        }
        if (!filterProblems.isEmpty()) {
            filterProblems.forEach(p -> err.println("cardterm monitor: " + p));
            return ExitCodes.BAD_INPUT;
        }
        Optional<String> password = Optional.empty();
        if (passwordFile != null) {
            try {
                password = Optional.of(Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                err.println("cardterm monitor: cannot read " + passwordFile + ": " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
        }
        Clock clock = Clock.systemDefaultZone();
        ZoneId zone = clock.getZone();
        FleetView view = new FleetView(Duration.ofSeconds(backlogAgeSeconds));
        Optional<String> siteFilter = Optional.ofNullable(site);
        FleetWatcher.Connection c = new FleetWatcher.Connection(broker, Optional.ofNullable(username), password,
                Optional.ofNullable(caFile));
        long connecting = System.nanoTime();
        try (FleetWatcher w = FleetWatcher.start(c, siteFilter, view, clock, page == null)) {
            if (page != null) {
                return page.serve(w, out, err, clock);
            }
            if (once) {
                long connected = System.nanoTime();
                // retained messages come at once after subscribing; wait until they stop coming
                long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
                Duration settle = Duration.ofMillis(Math.min(SETTLE_MS, waitSeconds * 300L));
                while (System.nanoTime() < deadline && (w.messages() == 0 || w.quietFor().compareTo(settle) < 0)) {
                    Thread.sleep(10);
                }
                long taken = System.nanoTime() - w.quietFor().toNanos();
                long settled = System.nanoTime();
                List<TerminalView> all = view.terminals(siteFilter);
                List<TerminalView> ts = all.stream().filter(shown).toList();
                long built = System.nanoTime();
                print(out, ts, clock, zone, false);
                if (timing) {
                    long printed = System.nanoTime();
                    Runtime rt = Runtime.getRuntime();
                    err.printf(java.util.Locale.ROOT, "monitor timing: terminals=%d messages=%d connect_ms=%.0f "
                            + "intake_ms=%.0f view_ms=%.0f heap_used_mb=%.1f heap_max_mb=%.0f build_ms=%.0f print_ms=%.0f%n",
                            all.size(), w.messages(), (connected - connecting) / 1e6, (taken - connecting) / 1e6,
                            (printed - connecting) / 1e6, (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
                            rt.maxMemory() / 1048576.0, (built - settled) / 1e6, (printed - built) / 1e6);
                    err.flush();
                }
                if (all.isEmpty()) {
                    err.println("cardterm monitor: no terminal has published on " + broker
                            + siteFilter.map(s -> " for site " + s).orElse(""));
                    return ExitCodes.FAILED;
                }
                return ts.stream().anyMatch(TerminalView::hasProblems) ? ExitCodes.FAILED : 0;
            }
            boolean colour = System.console() != null && !json;
            while (!Thread.currentThread().isInterrupted()) {
                if (colour) {
                    out.print("\u001b[H\u001b[2J");
                }
                print(out, view.terminals(siteFilter).stream().filter(shown).toList(), clock, zone, colour);
                w.lost().ifPresent(l -> out.println("(broker connection lost: " + l + "; reconnecting)"));
                out.flush();
                Thread.sleep(Duration.ofSeconds(refreshSeconds));
            }
            return 0;
        } catch (MqttException e) {
            err.println("cardterm monitor: cannot watch " + broker + ": " + e.getMessage() + " (" + e.getReasonCode()
                    + ")");
            return ExitCodes.FAILED;
        } catch (PemTls.TlsFileException e) {
            err.println("cardterm monitor: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            err.println("cardterm monitor: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    private void print(PrintWriter out, List<TerminalView> ts, Clock clock, ZoneId zone, boolean colour) {
        if (json) {
            out.println(FleetTable.json(ts, clock.instant()).toString());
        } else {
            FleetTable.text(ts, clock.instant(), zone, colour).forEach(out::println);
        }
        out.flush();
    }
}
