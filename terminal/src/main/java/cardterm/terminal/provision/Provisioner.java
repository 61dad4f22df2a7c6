package cardterm.terminal.provision;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes what one terminal needs and the hub's half of it, under an output directory:
 *
 * <pre>
 * OUT/T/terminal.yaml        the terminal's config (relative file names: copy the directory to /etc/cardterm)
 * OUT/T/command.key          the HMAC key of hub commands (0600)
 * OUT/T/hub.password         its MQTT password (0600)
 * OUT/T/hub-ca.pem           the CA of the broker's certificate (ssl:// hubs)
 * OUT/T/terminal.pem, .key   its client certificate and key (0600), when a CA is given
 * OUT/hub/terminals/T.*      the hub's half: command key (0600), password_file line, ACL block, certificate
 * OUT/hub/password_file      every provisioned terminal's line (after hub/services.passwd, if any)
 * OUT/hub/acl                the hub services' block (hub/services.acl, or the default) and every terminal's
 * </pre>
 *
 * A terminal's directory is made in a temporary directory and renamed into place: it is there
 * whole or not at all. An existing one is never overwritten.
 */
public final class Provisioner {
    /** One terminal to provision. */
    public record Terminal(String site, String terminal, List<String> hubUris) {}

    /**
     * @param out the output directory
     * @param ca the CA certificate to sign client certificates with (null: none made)
     * @param caKey the CA's key
     * @param hubCa the CA of the broker's server certificate for ssl:// hubs (null: {@code ca})
     * @param days validity of client certificates
     */
    public record Settings(Path out, Path ca, Path caKey, Path hubCa, int days) {}

    /** The hub services' ACL block when {@code hub/services.acl} does not exist. */
    static final String DEFAULT_SERVICES_ACL = """
            # The hub's services (user, or certificate CN, "hub"): read everything the terminals publish, send commands.
            user hub
            topic read cardterm/v1/#
            topic write cardterm/v1/+/+/cmd/+

            """;

    private final Settings settings;
    private final SecureRandom random = new SecureRandom();

    public Provisioner(Settings settings) {
        this.settings = settings;
    }

    /** Writes one terminal's files and its hub half; returns its directory. */
    public Path provision(Terminal t) throws IOException, ClientCertificate.Failure {
        Path out = settings.out();
        Path target = out.resolve(t.terminal());
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target + " exists: the terminal is provisioned already");
        }
        Path hubDir = Files.createDirectories(out.resolve("hub/terminals"));
        Path tmp = Files.createTempDirectory(out, "." + t.terminal() + "-");
        try {
            String commandKey = secret(32); // 43 characters
            String password = secret(24); // 32 characters
            writeSecret(tmp.resolve("command.key"), commandKey + "\n");
            writeSecret(tmp.resolve("hub.password"), password + "\n");
            boolean tls = t.hubUris().stream().anyMatch(u -> u.startsWith("ssl:"));
            Path hubCa = settings.hubCa() != null ? settings.hubCa() : settings.ca();
            if (tls && hubCa != null) {
                Files.copy(hubCa, tmp.resolve("hub-ca.pem"));
            }
            if (settings.ca() != null) {
                ClientCertificate.make(tmp, t.site(), t.terminal(), settings.ca(), settings.caKey(), settings.days(),
                        random);
            }
            Files.writeString(tmp.resolve("terminal.yaml"), TerminalYaml.text(t, tls, settings.ca() != null));
            // the hub's half
            String name = t.terminal();
            writeSecret(hubDir.resolve(name + ".command.key"), commandKey + "\n");
            Files.writeString(hubDir.resolve(name + ".passwd"), MosquittoPassword.line(name, password, random) + "\n");
            Files.writeString(hubDir.resolve(name + ".acl"), TerminalAcl.block(t.site(), name));
            if (settings.ca() != null) {
                Files.copy(tmp.resolve("terminal.pem"), hubDir.resolve(name + ".pem"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /** Rewrites {@code hub/password_file} and {@code hub/acl} from every terminal provisioned under the directory. */
    public void assembleHubFiles() throws IOException {
        Path hub = Files.createDirectories(settings.out().resolve("hub"));
        Path terminals = Files.createDirectories(hub.resolve("terminals"));
        StringBuilder passwd = new StringBuilder();
        Path services = hub.resolve("services.passwd");
        if (Files.exists(services)) {
            passwd.append(Files.readString(services).strip()).append('\n');
        }
        StringBuilder acl = new StringBuilder("""
                # cardterm hub broker ACL (mosquitto acl_file), assembled by cardterm provision: the hub
                # services' block, then one block per terminal pinning its exact site and id.

                """);
        Path servicesAcl = hub.resolve("services.acl");
        acl.append(Files.exists(servicesAcl) ? Files.readString(servicesAcl).strip() + "\n\n" : DEFAULT_SERVICES_ACL);
        for (Path p : sorted(terminals, ".passwd")) {
            passwd.append(Files.readString(p).strip()).append('\n');
        }
        for (Path p : sorted(terminals, ".acl")) {
            acl.append(Files.readString(p).strip()).append("\n\n");
        }
        writeReplacing(hub.resolve("password_file"), passwd.toString(), true);
        writeReplacing(hub.resolve("acl"), acl.toString(), false);
    }

    private static List<Path> sorted(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static void writeReplacing(Path file, String text, boolean secret) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            writeSecret(tmp, text);
        } else {
            Files.writeString(tmp, text);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String secret(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Creates {@code file} readable and writable by its owner only, then writes it. */
    static void writeSecret(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }

    static void ownerOnly(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }
}
