package cardterm.devices.pcsc;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Says what is really wrong when PC/SC does not answer: pcscd not installed or not running (no
 * socket where libpcsclite looks for it), pcscd there but not answering, or a context that worked
 * and died with pcscd (stopped or restarted).
 */
public final class PcscdSocket {
    /** Where libpcsclite reaches pcscd unless {@code PCSCLITE_CSOCK_NAME} says otherwise. */
    public static final Path DEFAULT = Path.of("/run/pcscd/pcscd.comm");

    private PcscdSocket() {
    }

    /** The socket this process's libpcsclite uses. */
    public static Path path() {
        String env = System.getenv("PCSCLITE_CSOCK_NAME");
        return env == null || env.isBlank() ? DEFAULT : Path.of(env);
    }

    /**
     * One line for the log.
     *
     * @param socket where libpcsclite looks for pcscd
     * @param hadContext whether this process had a working PC/SC context before
     * @param libraryFound whether libpcsclite was found
     */
    public static String problem(Path socket, boolean hadContext, boolean libraryFound) {
        if (!libraryFound && !hadContext) {
            return "PC/SC unavailable: libpcsclite is not installed (apt-get install pcscd)";
        }
        boolean present = Files.exists(socket);
        if (hadContext) {
            return present ? "PC/SC context lost (pcscd stopped or restarted)"
                    : "PC/SC context lost: pcscd stopped (no socket at " + socket + ")";
        }
        return present ? "PC/SC unavailable: pcscd does not answer on " + socket
                : "PC/SC unavailable: pcscd not running or not installed (no socket at " + socket
                        + "; apt-get install pcscd, systemctl enable --now pcscd.socket)";
    }
}
