package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import cardterm.terminal.config.ConfigLoader;
import cardterm.terminal.config.ConfigResult;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.staff.PinHash;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffMember;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardterm staff add|remove|list --config FILE}: the staff registry ({@code staff:}) of a
 * config. A changed config is written only when {@code config check} accepts it (so removing a
 * staff member still on a post is refused, naming the post); the file is rewritten from its
 * parsed tree (comments are not kept; the previous file stays as FILE.bak).
 */
@Command(name = "staff", mixinStandardHelpOptions = true, description = "The staff registry of a config.",
        subcommands = {StaffCommand.List.class, StaffCommand.Add.class, StaffCommand.Remove.class})
public final class StaffCommand extends CommandGroup {
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    /** Reads the config; null (and a message) when it cannot be read. */
    static ObjectNode readTree(Path file, PrintWriter err) {
        try {
            JsonNode n = YAML.readTree(file.toFile());
            if (n instanceof ObjectNode o) {
                return o;
            }
            err.println(file + ": not a YAML mapping");
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
        }
        return null;
    }

    /** Writes {@code root} over {@code file} when {@code config check} accepts it; the exit code. */
    static int writeChecked(Path file, ObjectNode root, PrintWriter err) throws IOException {
        Path abs = file.toAbsolutePath();
        String text = YAML.writeValueAsString(root);
        ConfigResult r = ConfigLoader.parse(text, abs.getParent(), System.getenv(), ConfigLoader.FileChecks.SKIP);
        if (!(r instanceof ConfigResult.Valid)) {
            err.println("not changed: the config would have these problems:");
            r.problems().lines().forEach(l -> err.println(file + ": " + l));
            return ExitCodes.BAD_INPUT;
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(abs));
        } catch (UnsupportedOperationException notPosix) {
            // keep the default permissions
        }
        Files.copy(abs, abs.resolveSibling(abs.getFileName() + ".bak"), StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
        return ExitCodes.OK;
    }

    /** {@code staff list}: one line per member: id, role, post, name. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the staff registry.")
    public static final class List implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", required = true, description = "The terminal's configuration.")
        Path config;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ConfigResult r = ConfigLoader.load(config, System.getenv(), ConfigLoader.FileChecks.SKIP);
            if (!(r instanceof ConfigResult.Valid v)) {
                r.problems().lines().forEach(l -> err.println(config + ": " + l));
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
            TerminalConfig c = v.config();
            if (!c.staff().hasMembers()) {
                out.println("no staff registry in " + config + " (add one with 'cardterm staff add')");
            }
            for (StaffMember m : c.staff().members()) {
                out.printf("%-12s %-10s %-4s %s%n", m.id(), m.role().configName(), m.post() == null ? "-" : m.post(),
                        m.name());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code staff add}: a new member; the PIN is asked twice without echo. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a staff member; asks for the PIN (4-12 digits) twice without echo.",
                "Without a terminal, reads the PIN and its repetition as two lines of standard input."})
    public static final class Add implements Callable<Integer> {
        private final InputStream stdin;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", required = true, description = "The terminal's configuration.")
        Path config;

        @Option(names = "--id", required = true, description = "Staff id ([A-Za-z0-9-]{1,32}).")
        String id;

        @Option(names = "--name", required = true, description = "Display name (shown only to signed-in staff).")
        String name;

        @Option(names = "--role", defaultValue = "staff", description = "staff, supervisor or technician (default staff).")
        String role;

        @Option(names = "--post", description = "A or B (AB岗).")
        String post;

        public Add() {
            this(System.in);
        }

        Add(InputStream stdin) {
            this.stdin = stdin;
        }

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            java.util.List<String> problems = new java.util.ArrayList<>();
            if (!TerminalConfig.STAFF_ID.matcher(id).matches()) {
                problems.add("--id: must match " + TerminalConfig.STAFF_ID.pattern());
            }
            if (Role.parse(role).isEmpty()) {
                problems.add("--role: must be staff, supervisor or technician, not '" + role + "'");
            }
            if (post != null && !post.equals("A") && !post.equals("B")) {
                problems.add("--post: must be A or B, not '" + post + "'");
            }
            ObjectNode root = readTree(config, err);
            if (root == null) {
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
            JsonNode staff = root.get("staff");
            if (staff != null && staff.isArray()) {
                for (JsonNode s : staff) {
                    if (id.equals(s.path("id").asText(null))) {
                        problems.add("--id: staff " + id + " is in the registry already (remove it first)");
                    }
                }
            }
            if (!problems.isEmpty()) {
                problems.forEach(err::println);
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
            char[][] pins = readPinTwice(out);
            try {
                if (pins == null) {
                    err.println("no PIN given");
                    err.flush();
                    return ExitCodes.BAD_INPUT;
                }
                if (!Arrays.equals(pins[0], pins[1])) {
                    err.println("the two PINs differ: nothing changed");
                    err.flush();
                    return ExitCodes.BAD_INPUT;
                }
                if (!PinHash.PIN.matcher(new String(pins[0])).matches()) {
                    err.println("a PIN is 4 to 12 digits: nothing changed");
                    err.flush();
                    return ExitCodes.BAD_INPUT;
                }
                ArrayNode list = staff != null && staff.isArray() ? (ArrayNode) staff : root.putArray("staff");
                ObjectNode m = list.addObject();
                m.put("id", id);
                m.put("name", name);
                m.put("role", role);
                if (post != null) {
                    m.put("post", post);
                }
                m.put("pinHash", PinHash.hash(pins[0]));
            } finally {
                if (pins != null) {
                    Arrays.fill(pins[0], '\0');
                    Arrays.fill(pins[1], '\0');
                }
            }
            int code = writeChecked(config, root, err);
            if (code == ExitCodes.OK) {
                out.println("added " + id + " to " + config);
            }
            out.flush();
            err.flush();
            return code;
        }

        private char[][] readPinTwice(PrintWriter out) throws IOException {
            Console console = stdin == System.in ? System.console() : null;
            if (console != null && isTerminal(console)) {
                char[] a = console.readPassword("PIN for %s: ", id);
                char[] b = a == null ? null : console.readPassword("PIN again: ");
                return a == null || b == null ? null : new char[][] {a, b};
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            String a = in.readLine();
            String b = a == null ? null : in.readLine();
            return a == null || b == null ? null : new char[][] {a.strip().toCharArray(), b.strip().toCharArray()};
        }

        /** {@code Console.isTerminal()} (Java 22+); on 21 a non-null console is a terminal. */
        private static boolean isTerminal(Console c) {
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }
    }

    /** {@code staff remove}: takes a member out (refused while the config still names them). */
    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a staff member.")
    public static final class Remove implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", required = true, description = "The terminal's configuration.")
        Path config;

        @Option(names = "--id", required = true, description = "Staff id.")
        String id;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ObjectNode root = readTree(config, err);
            if (root == null) {
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
            JsonNode staff = root.get("staff");
            boolean removed = false;
            if (staff != null && staff.isArray()) {
                for (Iterator<JsonNode> it = staff.iterator(); it.hasNext(); ) {
                    if (id.equals(it.next().path("id").asText(null))) {
                        it.remove();
                        removed = true;
                    }
                }
            }
            if (!removed) {
                err.println("--id: no staff " + id + " in " + config);
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
            int code = writeChecked(config, root, err);
            if (code == ExitCodes.OK) {
                out.println("removed " + id + " from " + config);
            }
            out.flush();
            err.flush();
            return code;
        }
    }
}
