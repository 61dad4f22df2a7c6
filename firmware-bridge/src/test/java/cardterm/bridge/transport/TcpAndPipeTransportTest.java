package cardterm.bridge.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TcpAndPipeTransportTest {

    @Test
    void tcpBytesBothWaysTimeoutAndPeerClose() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            TcpTransport client = TcpTransport.connect("127.0.0.1", port, Duration.ofSeconds(2), Duration.ofSeconds(2));
            SocketChannel accepted = server.accept();
            TcpTransport peer = TcpTransport.accepted(accepted, Duration.ofSeconds(2));
            assertThat(client.name()).isEqualTo("tcp://127.0.0.1:" + port);

            client.write(new byte[] {1, 2, 3});
            byte[] buf = new byte[10];
            assertThat(SerialTransportTest.readFully(peer, buf, 3)).isEqualTo(3);
            assertThat(client.read(buf, 0, 10, Duration.ofMillis(50))).isZero();

            peer.close();
            assertThatThrownBy(() -> client.read(buf, 0, 10, Duration.ofSeconds(2)))
                    .isInstanceOf(TransportLostException.class).hasMessageContaining("closed by peer");
            assertThat(client.isOpen()).isFalse();
            client.close();
        }
    }

    /**
     * The simulator and the printer close a transport from one thread while another waits in
     * {@code read}: whenever the close lands (before, inside or after the select), the reader sees a
     * lost link, never an unchecked {@code ClosedSelectorException}.
     */
    @Test
    void aCloseFromAnotherThreadDuringReadIsALostLinkWhereverItLands() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            for (int round = 0; round < 200; round++) {
                TcpTransport client = TcpTransport.connect("127.0.0.1", port, Duration.ofSeconds(2),
                        Duration.ofSeconds(2));
                try (SocketChannel accepted = server.accept()) {
                    CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                        byte[] buf = new byte[16];
                        try {
                            for (int i = 0; i < 100_000; i++) {
                                client.read(buf, 0, buf.length, Duration.ofMillis(1));
                            }
                            return new AssertionError("read went on after close");
                        } catch (Throwable t) {
                            return t;
                        }
                    });
                    // vary where the close lands: right away, or after the reader has spun a while
                    long until = System.nanoTime() + (round % 10) * 200_000L;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    client.close();
                    Throwable seen = reader.get(10, TimeUnit.SECONDS);
                    assertThat(seen).as("round " + round).isInstanceOf(TransportLostException.class);
                }
            }
        }
    }

    @Test
    void tcpConnectRefusedIsAnIoError() throws Exception {
        int port;
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
        assertThatThrownBy(() -> TcpTransport.connect("127.0.0.1", port, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageStartingWith("tcp://127.0.0.1:" + port);
    }

    @Test
    void pipeCarriesBytesAndTheCutIsSeenOnBothEndsAfterBufferedData() throws Exception {
        PipeTransport.Pair pair = PipeTransport.pair("t");
        byte[] big = new byte[200_000];
        Thread w = new Thread(() -> {
            try {
                pair.host().write(big);
            } catch (TransportLostException e) {
                throw new IllegalStateException(e);
            }
        });
        w.start();
        byte[] got = new byte[big.length];
        assertThat(SerialTransportTest.readFully(pair.device(), got, big.length)).isEqualTo(big.length);
        w.join(5000);

        pair.device().write(new byte[] {9});
        pair.cut();
        byte[] one = new byte[4];
        assertThat(pair.host().read(one, 0, 4, Duration.ZERO)).isEqualTo(1);
        assertThatThrownBy(() -> pair.host().read(one, 0, 4, Duration.ZERO)).isInstanceOf(TransportLostException.class);
        assertThatThrownBy(() -> pair.device().write(one)).isInstanceOf(TransportLostException.class);
        assertThat(pair.device().isOpen()).isFalse();
    }

    @Test
    void addressesParse() {
        assertThat(Transports.opener("tcp://10.0.0.5:9100", 115200).describe()).isEqualTo("tcp://10.0.0.5:9100");
        assertThat(Transports.opener("/dev/ttyACM0", 115200).describe()).isEqualTo("serial:/dev/ttyACM0");
        assertThatThrownBy(() -> Transports.opener("tcp://host", 1)).hasMessageContaining("tcp://HOST:PORT");
        assertThatThrownBy(() -> Transports.opener("tcp://host:99999", 1)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Transports.opener("udp://x:1", 1)).hasMessageContaining("unknown scheme");
    }
}
