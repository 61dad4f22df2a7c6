package cardterm.terminal.cli;

import cardterm.devices.check.Problems;
import cardterm.terminal.ExitCodes;
import cardterm.terminal.config.StaffFile;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.hub.PemTls;
import cardterm.terminal.monitor.FleetPageServer;
import cardterm.terminal.monitor.FleetWatcher;
import cardterm.terminal.staff.StaffRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code cardterm monitor --serve}: the checks of its options (every problem at once: the staff
 * file read by the config's own reader, the address, TLS) and the fleet page's life. The same rule
 * as the counter console: any address but the loopback one needs TLS.
 */
final class FleetPageLaunch {
    private static final Pattern IP = Pattern.compile("[0-9.]{7,15}|\\[?[0-9A-Fa-f:]{2,39}\\]?");

    private final TerminalConfig.Console listen;
    private final StaffRegistry staff;

    private FleetPageLaunch(TerminalConfig.Console listen, StaffRegistry staff) {
        this.listen = listen;
        this.staff = staff;
    }

    /** The launch, or null with every problem added to {@code problems}. */
    static FleetPageLaunch check(MonitorCommand m, List<String> problems) {
        int before = problems.size();
        if (m.once || m.json) {
            problems.add("--serve serves a live page: --once and --json do not go with it");
        }
        if (!m.problem.isEmpty()) {
            problems.add("--serve: the page filters by problem itself; leave out --problem");
        }
        StaffRegistry staff = null;
        if (m.staffFile == null) {
            problems.add("--serve needs --staff FILE: who may sign in (a staff: list as in terminal.yaml)");
        } else {
            Problems found = new Problems();
            Optional<StaffRegistry> s = StaffFile.load(m.staffFile, found);
            found.lines().forEach(l -> problems.add("--staff " + m.staffFile + ": " + l));
            if (s.isPresent()) {
                staff = s.get();
                if (staff.members().stream().noneMatch(x -> FleetPageServer.ADMITTED.contains(x.role()))) {
                    problems.add("--staff " + m.staffFile + ": no technician or supervisor in it: nobody could sign in");
                }
            }
        }
        boolean loopback = true;
        if (!IP.matcher(m.bind).matches()) {
            problems.add("--bind must be an IP address (127.0.0.1 for this machine only), not '" + m.bind + "'");
        } else {
            try {
                loopback = InetAddress.getByName(m.bind).isLoopbackAddress();
            } catch (UnknownHostException e) {
                problems.add("--bind: not an IP address: '" + m.bind + "'");
            }
        }
        if (m.port < 0 || m.port > 65535) {
            problems.add("--port must be 0..65535, not " + m.port);
        }
        if ((m.tlsCert == null) != (m.tlsKey == null)) {
            problems.add("--tls-cert and --tls-key come together");
        } else if (m.tlsCert != null) {
            try {
                PemTls.context(null, m.tlsCert, m.tlsKey);
            } catch (PemTls.TlsFileException e) {
                problems.add("--tls-cert/--tls-key: " + e.getMessage());
            }
        }
        if (!loopback && (m.tlsCert == null || m.tlsKey == null)) {
            problems.add("--bind " + m.bind + " (not the loopback address) needs TLS: give --tls-cert and --tls-key, "
                    + "or bind 127.0.0.1");
        }
        if (problems.size() > before) {
            return null;
        }
        return new FleetPageLaunch(new TerminalConfig.Console(m.bind, m.port, TerminalConfig.Console.DEFAULT_IDLE,
                m.tlsCert, m.tlsKey), staff);
    }

    /** Serves the page until interrupted. */
    int serve(FleetWatcher watcher, PrintWriter out, PrintWriter err, Clock clock) throws InterruptedException {
        FleetPageServer page;
        try {
            page = FleetPageServer.start(listen, staff, watcher, clock);
        } catch (IOException e) {
            err.println("cardterm monitor: cannot serve the fleet page on " + listen.bind() + ":" + listen.port() + ": "
                    + e.getMessage());
            return ExitCodes.FAILED;
        }
        try (page) {
            out.println("fleet page on " + page.uri() + " (technicians and supervisors sign in; Ctrl-C stops)");
            out.flush();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
            }
        }
        return 0;
    }
}
