package cardterm.terminal.cli;

import cardterm.bridge.ecl.EclSession;
import cardterm.bridge.ecl.EclTimeouts;
import cardterm.bridge.link.Link;
import cardterm.bridge.link.LinkState;
import cardterm.bridge.transport.SerialTransport;
import cardterm.bridge.transport.TransportOpener;
import cardterm.bridge.transport.Transports;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.EclPrinter;
import cardterm.devices.printer.PrinterException;
import cardterm.devices.printer.PrinterFlag;
import cardterm.devices.printer.PrinterInfo;
import cardterm.devices.printer.PrinterState;
import cardterm.devices.printer.PrinterStatus;
import cardterm.devices.printer.PrinterTestCard;
import cardterm.devices.printer.Supplies;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cardterm printer status|test --port PATH|tcp://HOST:PORT}: talk to the card printer
 * directly, for technicians. Exit 0 when all went well; 1 with one clear line when the printer is
 * absent, busy or in error; 2 for a bad address.
 */
@Command(name = "printer", mixinStandardHelpOptions = true,
        description = "Talk to the card printer directly (status, test card).",
        subcommands = {PrinterCommand.Status.class, PrinterCommand.Test.class})
public final class PrinterCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the printer is, and how long to wait for it. */
    static final class Address {
        @Option(names = "--port", required = true, paramLabel = "PATH|tcp://HOST:PORT",
                description = "Serial device path (e.g. /dev/ttyACM0) or tcp://HOST:PORT.")
        String port;

        @Option(names = "--baud", defaultValue = "" + SerialTransport.DEFAULT_BAUD,
                description = "Serial line speed (default ${DEFAULT-VALUE}).")
        int baud;

        @Option(names = "--connect-timeout", defaultValue = "3", paramLabel = "SECONDS",
                description = "How long to wait for the link (default ${DEFAULT-VALUE} s).")
        int connectTimeoutSeconds;
    }

    /** Something printed for the user: a failure line and an exit code. */
    private static final class Stop extends Exception {
        final int exitCode;

        Stop(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** Opens the link and the driver (no polling), runs {@code body}, closes everything. */
    private static int withPrinter(CommandLine.Model.CommandSpec spec, Address address, PrinterBody body) {
        PrintWriter err = spec.commandLine().getErr();
        String who = "cardterm printer " + spec.name();
        TransportOpener opener;
        try {
            if (address.baud <= 0) {
                throw new IllegalArgumentException("--baud must be positive");
            }
            if (address.connectTimeoutSeconds <= 0) {
                throw new IllegalArgumentException("--connect-timeout must be positive");
            }
            opener = Transports.opener(address.port, address.baud);
        } catch (IllegalArgumentException e) {
            err.println(who + ": " + e.getMessage());
            return CardtermMain.EXIT_BAD_INPUT;
        }
        Link link = Link.create("printer", opener);
        try (EclPrinter printer = EclPrinter.builder(new EclSession(link, EclTimeouts.defaults()))
                .ownsLink(true).build()) {
            link.start();
            if (!link.awaitUp(Duration.ofSeconds(address.connectTimeoutSeconds))) {
                String reason = link.state() instanceof LinkState.Down d ? d.reason() : "not reachable";
                err.println(who + ": printer absent: " + reason);
                return CardtermMain.EXIT_FAILED;
            }
            body.run(printer, spec.commandLine().getOut());
            return 0;
        } catch (Stop s) {
            err.println(who + ": " + s.getMessage());
            return s.exitCode;
        } catch (PrinterException e) {
            err.println(who + ": " + describe(e, opener.describe()));
            return CardtermMain.EXIT_FAILED;
        } finally {
            link.close();
        }
    }

    @FunctionalInterface
    private interface PrinterBody {
        void run(EclPrinter printer, PrintWriter out) throws PrinterException, Stop;
    }

    static String describe(PrinterException e, String where) {
        return switch (e.failure()) {
            case LINK_DOWN -> "printer absent or unplugged (" + where + ")";
            case TIMEOUT -> "printer does not answer on " + where;
            case REFUSED -> e.code().filter(c -> c == cardterm.bridge.ecl.EclErrorCode.BUSY).isPresent()
                    ? "printer busy (" + e.operation() + " refused)"
                    : e.operation() + " refused by the printer: " + e.code().map(Enum::name).orElse("?")
                    + e.statusAfter().map(s -> " (" + stateText(s) + ")").orElse("");
        };
    }

    private static String stateText(PrinterStatus s) {
        String flags = s.flags().stream().map(Enum::name).collect(Collectors.joining(", "));
        return s.state() + (flags.isEmpty() ? "" : ": " + flags);
    }

    /** Refuses to go on when the printer is busy or in error. */
    private static void requireUsable(PrinterStatus s) throws Stop {
        if (s.state() == PrinterState.BUSY) {
            throw new Stop(CardtermMain.EXIT_FAILED, "printer busy (" + stateText(s) + ")");
        }
        if (s.state() == PrinterState.ERROR) {
            throw new Stop(CardtermMain.EXIT_FAILED, "printer in error (" + stateText(s) + ")");
        }
    }

    /** {@code printer status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print firmware, serial number, state, flags and supplies.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Address address = new Address();

        @Override
        public Integer call() {
            return withPrinter(spec, address, (printer, out) -> {
                PrinterInfo info = printer.info();
                PrinterStatus status = printer.status();
                out.printf("firmware: %s%n", info.firmware());
                out.printf("serial:   %s%n", info.serial());
                out.printf("state:    %s%n", status.state());
                out.printf("flags:    %s%n", status.flags().isEmpty() ? "(none)"
                        : status.flags().stream().map(PrinterFlag::name).collect(Collectors.joining(", ")));
                if (status.state() != PrinterState.BUSY) {
                    Supplies s = printer.supplies();
                    out.printf("ribbon:   %s, %d prints left%n", s.ribbon(), s.ribbonLeft());
                    out.printf("printed:  %d%n", s.printed());
                    out.printf("rejected: %d%n", s.rejected());
                }
                out.flush();
                requireUsable(status);
            });
        }
    }

    /** {@code printer test}. */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Print a test card (colour or black, as the loaded ribbon allows) to the output tray.")
    static final class Test implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Address address = new Address();

        @Override
        public Integer call() {
            return withPrinter(spec, address, (printer, out) -> {
                requireUsable(printer.status());
                Supplies s = printer.supplies();
                try {
                    printer.print(CardSide.FRONT, PrinterTestCard.panels(s.ribbon()));
                    printer.eject();
                } catch (PrinterException e) {
                    rejectQuietly(printer);
                    throw e;
                }
                out.printf("test card printed on a %s ribbon and ejected%n", s.ribbon());
                out.flush();
            });
        }

        /** Ends a failed test with the card in the reject box, where the printer can still move it. */
        private static void rejectQuietly(EclPrinter printer) {
            try {
                printer.reject();
            } catch (PrinterException ignored) {
                // no card inside, or it cannot move: the failure already reported says enough
            }
        }
    }
}
