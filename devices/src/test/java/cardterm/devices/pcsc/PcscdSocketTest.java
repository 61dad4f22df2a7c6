package cardterm.devices.pcsc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log says whether pcscd is missing or was restarted, from whether its socket is there. */
class PcscdSocketTest {
    @TempDir
    Path dir;

    @Test
    void noSocketAndNeverConnectedMeansPcscdIsNotRunningOrNotInstalled() {
        Path socket = dir.resolve("pcscd.comm");
        assertThat(PcscdSocket.problem(socket, false, true))
                .isEqualTo("PC/SC unavailable: pcscd not running or not installed (no socket at " + socket
                        + "; apt-get install pcscd, systemctl enable --now pcscd.socket)");
    }

    @Test
    void aSocketThatDoesNotAnswer() throws IOException {
        Path socket = Files.createFile(dir.resolve("pcscd.comm"));
        assertThat(PcscdSocket.problem(socket, false, true)).isEqualTo("PC/SC unavailable: pcscd does not answer on " + socket);
    }

    @Test
    void aContextThatWorkedWasLostWithPcscd() throws IOException {
        Path socket = dir.resolve("pcscd.comm");
        assertThat(PcscdSocket.problem(socket, true, true)).isEqualTo("PC/SC context lost: pcscd stopped (no socket at " + socket + ")");
        Files.createFile(socket);
        assertThat(PcscdSocket.problem(socket, true, true)).isEqualTo("PC/SC context lost (pcscd stopped or restarted)");
    }

    @Test
    void noLibraryMeansPcscdIsNotInstalled() {
        assertThat(PcscdSocket.problem(dir.resolve("x"), false, false)).contains("libpcsclite is not installed");
    }

    @Test
    void theDefaultSocketIsPcscdsOwn() {
        assertThat(PcscdSocket.DEFAULT).isEqualTo(Path.of("/run/pcscd/pcscd.comm"));
    }
}
