package cardterm.terminal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.printer.CardDestination;
import cardterm.devices.printer.RibbonType;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterModelListener;
import cardterm.devices.printer.sim.EclPrinterServer;
import cardterm.devices.testing.SocatPty;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cardterm printer ...} against the simulator on a real socat pty (and over TCP). */
class PrinterCommandTest {
    private SocatPty pty;
    private EclPrinterServer sim;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> ejected = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        pty = SocatPty.start();
        sim = EclPrinterServer.startOnPath(pty.devicePath(), EclPrinterModel.Settings.colour(), 0);
        sim.addListener(new EclPrinterModelListener() {
            @Override
            public void cardEjected(CardDestination destination, boolean printed) {
                ejected.add(destination + (printed ? " printed" : " blank"));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(sim::isConnected);
    }

    @AfterEach
    void tearDown() {
        sim.close();
        pty.close();
    }

    private int run(String... args) {
        CommandLine cl = CardtermMain.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void statusPrintsEverything() {
        int code = run("printer", "status", "--port", pty.hostPath().toString());
        assertThat(code).isZero();
        assertThat(out.toString()).contains("firmware: ecl-sim 1.0", "serial:   SIM-000001", "state:    READY",
                "flags:    (none)", "ribbon:   YMCKO, 250 prints left", "printed:  0", "rejected: 0");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void statusInErrorExitsOneWithOneLine() {
        sim.printer().openCover();
        int code = run("printer", "status", "--port", pty.hostPath().toString());
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("state:    ERROR", "flags:    COVER_OPEN");
        assertThat(err.toString()).isEqualTo("cardterm printer status: printer in error (ERROR: COVER_OPEN)"
                + System.lineSeparator());
    }

    @Test
    void busyPrinterExitsOne() {
        sim.printer().beginEndlessFeed(); // a step that never ends
        int code = run("printer", "test", "--port", pty.hostPath().toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("cardterm printer test: printer busy (BUSY").doesNotContain("Exception");
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void absentPrinterExitsOneWithOneLine() {
        int code = run("printer", "status", "--port", pty.hostPath() + "-nothing", "--connect-timeout", "1");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("cardterm printer status: printer absent: serial:" + pty.hostPath()
                + "-nothing: no such device" + System.lineSeparator());
    }

    @Test
    void testCardColourAndMono() {
        assertThat(run("printer", "test", "--port", pty.hostPath().toString())).isZero();
        assertThat(out.toString()).contains("test card printed on a YMCKO ribbon");
        sim.printer().loadRibbon(RibbonType.K, 500);
        assertThat(run("printer", "test", "--port", pty.hostPath().toString())).isZero();
        assertThat(ejected).containsExactly("OUTPUT_TRAY printed", "OUTPUT_TRAY printed");
    }

    @Test
    void testCardJamIsRefusedAndTheCardRejected() {
        sim.printer().jamOnNextPrint(false);
        int code = run("printer", "test", "--port", pty.hostPath().toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("cardterm printer test: print refused by the printer: JAM (ERROR: JAM)"
                + System.lineSeparator());
        assertThat(ejected).containsExactly("REJECT_BOX blank");
    }

    @Test
    void overTcpAndBadAddresses() throws Exception {
        try (EclPrinterServer tcp = EclPrinterServer.startOnTcp(0, EclPrinterModel.Settings.mono(), 0)) {
            assertThat(run("printer", "status", "--port", "tcp://127.0.0.1:" + tcp.tcpPort())).isZero();
            assertThat(out.toString()).contains("ribbon:   K, 1000 prints left");
        }
        assertThat(run("printer", "status", "--port", "udp://x:1")).isEqualTo(2);
        assertThat(run("printer", "status")).isEqualTo(2);
    }
}
