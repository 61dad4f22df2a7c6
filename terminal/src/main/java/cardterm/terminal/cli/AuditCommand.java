package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import cardterm.terminal.audit.AuditVerifier;
import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigResult;
import cardterm.terminal.store.Database;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import org.sqlite.SQLiteConfig;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cardterm audit ...}: the terminal's local audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The terminal's hash-chained audit log.",
        subcommands = {AuditCommand.Verify.class})
public final class AuditCommand extends CommandGroup {


    /**
     * {@code cardterm audit verify [--data-dir DIR | --config FILE]}: checks the hash chain of the
     * audit log read-only. Exit 0 and one line when intact; exit 1 with one line per edited, removed,
     * inserted or moved entry (by seq); exit 2 when there is no log to check.
     */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check the audit log's hash chain (read only).",
                "Exit 0 when intact; 1 with every edited, removed or reordered entry; 2 when there is nothing to check."})
    public static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        static final class Where {
            @Option(names = "--data-dir", paramLabel = "DIR", description = "The terminal's data directory.")
            String dataDir;

            @Option(names = "--config", paramLabel = "FILE", description = "The terminal's configuration (its data directory).")
            String config;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Where where;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path dir;
            try {
                if (where.config != null) {
                    ConfigResult r = ConfigLoader.load(Path.of(where.config), System.getenv(),
                            ConfigLoader.FileChecks.SKIP);
                    if (!(r instanceof ConfigResult.Valid v)) {
                        r.problems().lines().forEach(l -> err.println(where.config + ": " + l));
                        err.flush();
                        return ExitCodes.BAD_INPUT;
                    }
                    dir = v.config().terminal().dataDir();
                } else {
                    dir = Path.of(where.dataDir);
                }
            } catch (InvalidPathException e) {
                err.println("not a path: " + e.getInput());
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
            Path file = dir.resolve(Database.FILE_NAME);
            if (!Files.isRegularFile(file)) {
                err.println("no terminal database at " + file);
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
            SQLiteConfig c = new SQLiteConfig();
            c.setReadOnly(true);
            c.setBusyTimeout(10_000);
            AuditVerifier.Report report;
            try (Connection conn = c.createConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
                report = AuditVerifier.verify(conn);
            } catch (SQLException e) {
                if (String.valueOf(e.getMessage()).contains("no such table")) {
                    err.println("audit log in " + file + ": no audit tables (" + e.getMessage() + ")");
                    err.flush();
                    return ExitCodes.FAILED;
                }
                err.println("cannot read the audit log in " + file + ": " + e.getMessage());
                err.flush();
                return ExitCodes.FAILED;
            }
            if (report.intact()) {
                out.println("audit log intact: " + report.entries() + " entries, last seq " + report.lastSeq()
                        + ", last hash " + report.lastHash());
                out.flush();
                return 0;
            }
            err.println("audit log in " + file + " is NOT intact (" + report.problems().size() + " problems, "
                    + report.entries() + " entries):");
            report.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return ExitCodes.FAILED;
        }
    }
}
