package cardterm.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cardterm.bridge.testing.SocatPty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** jSerialComm on a real socat pty pair: bytes both ways, read timeouts, and a cable pull. */
class SerialTransportTest {
    private SocatPty pty;
    private SerialTransport host;
    private SerialTransport device;

    @BeforeEach
    void setUp() throws IOException {
        pty = SocatPty.start();
        host = SerialTransport.open(pty.hostPath());
        device = SerialTransport.open(pty.devicePath());
    }

    @AfterEach
    void tearDown() {
        host.close();
        device.close();
        pty.close();
    }

    @Test
    void bytesGoBothWaysAndAQuietLineReadsZero() throws Exception {
        host.write("\u001bRfv\r".getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[64];
        int n = readFully(device, buf, 5);
        assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("\u001bRfv\r");
        device.write("ecl 1\r".getBytes(StandardCharsets.US_ASCII));
        n = readFully(host, buf, 6);
        assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("ecl 1\r");

        long t0 = System.nanoTime();
        assertThat(host.read(buf, 0, buf.length, Duration.ofMillis(100))).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
        assertThat(host.read(buf, 0, buf.length, Duration.ZERO)).isZero();
    }

    @Test
    void largeWritesArriveWhole() throws Exception {
        byte[] data = new byte[700_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Thread writer = new Thread(() -> {
            try {
                host.write(data);
            } catch (TransportLostException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        byte[] got = new byte[data.length];
        int n = readFully(device, got, data.length);
        writer.join(10_000);
        assertThat(n).isEqualTo(data.length);
        assertThat(got).isEqualTo(data);
    }

    @Test
    void cablePullIsALostLinkAndThePathCanBeOpenedAgainWhenBack() throws Exception {
        assertThat(host.isOpen()).isTrue();
        pty.kill();
        byte[] buf = new byte[16];
        assertThatThrownBy(() -> host.read(buf, 0, buf.length, Duration.ofMillis(500)))
                .isInstanceOf(TransportLostException.class);
        assertThat(host.isOpen()).isFalse();
        assertThatThrownBy(() -> SerialTransport.open(pty.hostPath()))
                .isInstanceOf(IOException.class).hasMessageContaining("no such device");

        pty.restart();
        try (SerialTransport again = SerialTransport.open(pty.hostPath());
             SerialTransport dev2 = SerialTransport.open(pty.devicePath())) {
            again.write(new byte[] {'x'});
            assertThat(readFully(dev2, buf, 1)).isEqualTo(1);
        }
    }

    @Test
    void idleUnplugIsSeenByIsOpen() {
        pty.kill();
        await().atMost(Duration.ofSeconds(5)).until(() -> !host.isOpen());
    }

    @Test
    void absentDeviceFailsWithAShortReason() {
        assertThatThrownBy(() -> SerialTransport.open(Path.of("/nonexistent/ttyX")))
                .isInstanceOf(IOException.class).hasMessage("serial:/nonexistent/ttyX: no such device");
    }

    static int readFully(Transport t, byte[] buf, int want) throws TransportLostException {
        int got = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (got < want && System.nanoTime() < deadline) {
            got += t.read(buf, got, want - got, Duration.ofMillis(200));
        }
        return got;
    }
}
