package cardterm.bridge.ecl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cardterm.bridge.link.DoublingBackoff;
import cardterm.bridge.link.Link;
import cardterm.bridge.link.LinkDownException;
import cardterm.bridge.testing.ScriptedDevice;
import cardterm.bridge.testing.ScriptedDevice.Reply;
import cardterm.bridge.transport.PipeTransport;
import cardterm.bridge.transport.Transport;
import cardterm.bridge.transport.TransportOpener;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session against a scripted device over an in-process pipe: traces of what goes over the line. */
class EclSessionTest {

    private static final EclTimeouts FAST = EclTimeouts.defaults()
            .withQuery(Duration.ofMillis(150))
            .withMechanical(Duration.ofMillis(150))
            .withQueryRetries(2);

    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();
    private final List<String> trace = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ScriptedDevice device;

    private EclSession session(Function<EclCommand, Reply> script) {
        return session(script, FAST);
    }

    private EclSession session(Function<EclCommand, Reply> script, EclTimeouts timeouts) {
        PipeTransport.Pair pair = PipeTransport.pair();
        device = new ScriptedDevice(pair.device(), script);
        toClose.add(device);
        Link link = Link.create("printer", TransportOpener.once(pair.host())).start();
        toClose.add(link);
        assertThat(link.awaitUp(Duration.ofSeconds(5))).isTrue();
        EclSession s = new EclSession(link, timeouts);
        s.addObserver(new EclSession.Observer() {
            @Override
            public void discarded(String reason) {
                trace.add("discarded " + reason);
            }

            @Override
            public void timedOut(EclCommand command, int attempt) {
                trace.add("timeout " + command + " #" + attempt);
            }
        });
        return s;
    }

    @Test
    void queryReturnsTheParsedDataLine() throws Exception {
        EclSession s = session(c -> c.name().equals("Rfv") ? Reply.now("ecl-sim 1.0\r") : Reply.now("OK\r"));
        assertThat(s.<String>query(EclCommand.RFV, line -> line)).isEqualTo("ecl-sim 1.0");
        s.execute(EclCommand.PEM_HOST);
        assertThat(device.received()).containsExactly("Rfv", "Pem;2");
    }

    @Test
    void garbageAndUnparseableLinesAreDiscardedWhileWaiting() throws Exception {
        EclSession s = session(c -> Reply.now("\u0000\u00ff\u0013junk\r\nnoise\rOK\rREADY;\r"));
        String state = s.query(EclCommand.RST, line -> {
            if (!line.startsWith("READY")) {
                throw new IllegalArgumentException("not a status line");
            }
            return line;
        });
        assertThat(state).isEqualTo("READY;");
        assertThat(trace).anyMatch(t -> t.startsWith("discarded garbage"))
                .anyMatch(t -> t.startsWith("discarded not an answer"));
        assertThat(s.discardedLines()).isEqualTo(3);
    }

    @Test
    void errAnswerBecomesATypedError() {
        EclSession s = session(c -> Reply.now("ERR;COVER_OPEN;close the cover\r"));
        assertThatThrownBy(() -> s.execute(EclCommand.SIC))
                .isInstanceOfSatisfying(EclErrorResponse.class, e -> {
                    assertThat(e.code()).isEqualTo(EclErrorCode.COVER_OPEN);
                    assertThat(e.command()).isEqualTo("Sic");
                    assertThat(e.text()).isEqualTo("close the cover");
                });
    }

    @Test
    void mechanicalStepIsNeverRetried() {
        EclSession s = session(c -> Reply.none());
        assertThatThrownBy(() -> s.execute(EclCommand.SE))
                .isInstanceOfSatisfying(EclTimeoutException.class, e -> assertThat(e.attempts()).isEqualTo(1));
        assertThat(device.received()).containsExactly("Se");
    }

    @Test
    void idempotentQueryIsRetriedAfterATimeoutAndBounded() throws Exception {
        AtomicInteger n = new AtomicInteger();
        EclSession s = session(c -> n.incrementAndGet() == 2 ? Reply.now("READY;\r") : Reply.none());
        assertThat(s.<String>query(EclCommand.RST, l -> l)).isEqualTo("READY;");
        assertThat(device.received()).containsExactly("Rst", "Rst");

        EclSession silent = session(c -> Reply.none());
        assertThatThrownBy(() -> silent.query(EclCommand.RSP, l -> l))
                .isInstanceOfSatisfying(EclTimeoutException.class, e -> assertThat(e.attempts()).isEqualTo(3));
        assertThat(device.received()).containsExactly("Rsp", "Rsp", "Rsp");
    }

    @Test
    void framingErrorRetriesOnlyIdempotentReads() throws Exception {
        AtomicInteger n = new AtomicInteger();
        EclSession s = session(c -> n.incrementAndGet() == 1 ? Reply.now("ERR;FRAMING;noise\r") : Reply.now("SN-1\r"));
        assertThat(s.<String>query(EclCommand.RSN, l -> l)).isEqualTo("SN-1");
        assertThatThrownBy(() -> session(c -> Reply.now("ERR;FRAMING;noise\r")).execute(EclCommand.EO))
                .isInstanceOfSatisfying(EclErrorResponse.class, e -> assertThat(e.code()).isEqualTo(EclErrorCode.FRAMING));
    }

    @Test
    void aLateAnswerIsDrainedBeforeTheNextCommand() throws Exception {
        EclTimeouts t = FAST.withMechanical(Duration.ofMillis(100)).withQueryRetries(0);
        t = new EclTimeouts(t.query(), t.mechanical(), t.downloadBase(), t.downloadMinBytesPerSecond(), t.perCommand(),
                0, Duration.ofMillis(400), Duration.ofSeconds(2));
        EclSession s = session(c -> switch (c.name()) {
            case "Sic" -> Reply.later(Duration.ofMillis(200), "ERR;FEEDER_EMPTY;late\r");
            case "Eo" -> Reply.now("OK\r");
            default -> Reply.now("READY;\r");
        }, t);
        assertThatThrownBy(() -> s.execute(EclCommand.SIC)).isInstanceOf(EclTimeoutException.class);
        s.execute(EclCommand.EO); // must not see the stale ERR
        assertThat(trace).contains("timeout Sic #1").anyMatch(x -> x.startsWith("discarded drained"));
    }

    @Test
    void downloadSendsTheDataRightAfterTheLine() throws Exception {
        EclSession s = session(c -> Reply.now("OK\r"));
        byte[] k = new byte[82_296];
        s.download(EclCommand.download("k", "front", k.length), k, 0, k.length);
        s.execute(EclCommand.SE);
        assertThat(device.received()).containsExactly("Db;k;front;82296", "Se");
    }

    @Test
    void lostLinkIsATypedErrorAndTheLinkGoesDown() {
        EclSession s = session(c -> Reply.none());
        device.close();
        assertThatThrownBy(() -> s.execute(EclCommand.SIC)).isInstanceOf(LinkDownException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !s.link().state().isUp());
        assertThatThrownBy(() -> s.query(EclCommand.RST, l -> l)).isInstanceOf(LinkDownException.class);
    }

    @Test
    void greetingGoesOnceOnEveryNewConnection() throws Exception {
        List<ScriptedDevice> devices = new CopyOnWriteArrayList<>();
        List<PipeTransport.Pair> pairs = new CopyOnWriteArrayList<>();
        TransportOpener opener = new TransportOpener() {
            @Override
            public Transport open() throws IOException {
                PipeTransport.Pair pair = PipeTransport.pair();
                pairs.add(pair);
                ScriptedDevice d = new ScriptedDevice(pair.device(), c -> Reply.now(c.name().startsWith("R") ? "READY;\r" : "OK\r"));
                devices.add(d);
                toClose.add(d);
                return pair.host();
            }

            @Override
            public String describe() {
                return "pipes";
            }
        };
        Link link = Link.create("printer", opener, new DoublingBackoff(Duration.ofMillis(10), Duration.ofMillis(50)),
                Duration.ofMillis(20)).start();
        toClose.add(link);
        assertThat(link.awaitUp(Duration.ofSeconds(5))).isTrue();
        EclSession s = new EclSession(link, FAST);
        s.setGreeting(List.of(EclCommand.PEM_HOST));
        s.query(EclCommand.RST, l -> l);
        s.query(EclCommand.RST, l -> l);
        assertThat(devices.get(0).received()).containsExactly("Pem;2", "Rst", "Rst");

        pairs.get(0).cut();
        await().atMost(Duration.ofSeconds(5)).until(() -> link.generation() == 2 && link.state().isUp());
        s.query(EclCommand.RST, l -> l);
        assertThat(devices.get(1).received()).containsExactly("Pem;2", "Rst");
    }

    @Test
    void aRefusedGreetingDoesNotBlockTheCommandAndIsTriedAgain() throws Exception {
        AtomicInteger pem = new AtomicInteger();
        EclSession s = session(c -> c.name().equals("Pem")
                ? (pem.incrementAndGet() == 1 ? Reply.now("ERR;BUSY;step running\r") : Reply.now("OK\r"))
                : Reply.now("BUSY;\r"));
        s.setGreeting(List.of(EclCommand.PEM_HOST));
        assertThat(s.<String>query(EclCommand.RST, l -> l)).isEqualTo("BUSY;");
        assertThat(s.<String>query(EclCommand.RST, l -> l)).isEqualTo("BUSY;");
        assertThat(s.<String>query(EclCommand.RST, l -> l)).isEqualTo("BUSY;");
        assertThat(device.received()).containsExactly("Pem;2", "Rst", "Pem;2", "Rst", "Rst");
    }
}
