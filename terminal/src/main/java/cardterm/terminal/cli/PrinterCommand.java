package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import cardterm.devices.printer.CardSide;
import cardterm.devices.printer.EclPrinter;
import cardterm.devices.printer.PrinterErrorCode;
import cardterm.devices.printer.PrinterException;
import cardterm.devices.printer.PrinterFlag;
import cardterm.devices.printer.PrinterInfo;
import cardterm.devices.printer.PrinterLink;
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
 * absent, busy or in error; 2 for a bad address. {@code cardterm printer render --job FILE --out
 * card.png} previews a job's card face without a printer (exit 2 for every problem of the job file).
 */
@Command(name = "printer", mixinStandardHelpOptions = true,
        description = "Talk to the card printer directly (status, test card); preview a job's card face.",
        subcommands = {PrinterCommand.Status.class, PrinterCommand.Test.class, PrinterCommand.Render.class})
public final class PrinterCommand extends CommandGroup {



    /** Where the printer is, and how long to wait for it. */
    static final class Address {
        @Option(names = "--port", required = true, paramLabel = "PATH|tcp://HOST:PORT",
                description = "Serial device path (e.g. /dev/ttyACM0) or tcp://HOST:PORT.")
        String port;

        @Option(names = "--baud", defaultValue = "" + PrinterLink.DEFAULT_BAUD,
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
        PrinterLink link;
        try {
            if (address.baud <= 0) {
                throw new IllegalArgumentException("--baud must be positive");
            }
            if (address.connectTimeoutSeconds <= 0) {
                throw new IllegalArgumentException("--connect-timeout must be positive");
            }
            link = PrinterLink.to(address.port, address.baud);
        } catch (IllegalArgumentException e) {
            err.println(who + ": " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        try (EclPrinter printer = EclPrinter.builder(link)
                .ownsLink(true).build()) {
            link.start();
            if (!link.awaitUp(Duration.ofSeconds(address.connectTimeoutSeconds))) {
                String reason = link.downReason().orElse("not reachable");
                err.println(who + ": printer absent: " + reason);
                return ExitCodes.FAILED;
            }
            body.run(printer, spec.commandLine().getOut());
            return 0;
        } catch (Stop s) {
            err.println(who + ": " + s.getMessage());
            return s.exitCode;
        } catch (PrinterException e) {
            err.println(who + ": " + describe(e, link.target()));
            return ExitCodes.FAILED;
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
            case REFUSED -> e.code().filter(c -> c == PrinterErrorCode.BUSY).isPresent()
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
            throw new Stop(ExitCodes.FAILED, "printer busy (" + stateText(s) + ")");
        }
        if (s.state() == PrinterState.ERROR) {
            throw new Stop(ExitCodes.FAILED, "printer in error (" + stateText(s) + ")");
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

    /** {@code printer render}: a job's card face as a PNG, no printer needed. */
    @Command(name = "render", mixinStandardHelpOptions = true,
            description = {"Preview the front of a job's card as a PNG (1016 x 648, 300 dpi).",
                "The job file holds the issue args of the hub contract (JSON)."})
    static final class Render implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--job", required = true, paramLabel = "FILE", description = "The job file (JSON).")
        java.nio.file.Path job;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the PNG.")
        java.nio.file.Path out;

        @Option(names = "--ribbon", paramLabel = "YMCKO|K",
                description = "Show the face as printed on this ribbon (split into its panels and put together again).")
        String ribbon;

        @Option(names = "--font", paramLabel = "FILE",
                description = "CJK font file for the face (default: the card font bundled in cardterm).")
        java.nio.file.Path font;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String who = "cardterm printer render";
            cardterm.devices.printer.RibbonType ribbonType = null;
            if (ribbon != null) {
                try {
                    ribbonType = cardterm.devices.printer.RibbonType.ofCode(ribbon.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    err.println(who + ": --ribbon must be YMCKO or K");
                    return ExitCodes.BAD_INPUT;
                }
            }
            String text;
            try {
                text = java.nio.file.Files.readString(job, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                err.println(who + ": " + job + ": cannot read the job file (" + e.getClass().getSimpleName() + ")");
                return ExitCodes.BAD_INPUT;
            }
            cardterm.devices.check.Problems problems = new cardterm.devices.check.Problems();
            java.util.Optional<cardterm.terminal.issuance.IssuanceJob> parsed =
                    cardterm.terminal.issuance.IssuanceJobParser.parse(text, problems);
            if (parsed.isEmpty()) {
                problems.lines().forEach(l -> err.println(job + ": " + l));
                err.println(who + ": " + problems.size() + " problem(s) in the job file; nothing rendered");
                return ExitCodes.BAD_INPUT;
            }
            cardterm.devices.printer.face.FontCheck check =
                    cardterm.devices.printer.face.FontCheck.find(java.util.Optional.ofNullable(font));
            if (!(check instanceof cardterm.devices.printer.face.FontCheck.Found found)) {
                err.println(who + ": " + ((cardterm.devices.printer.face.FontCheck.Missing) check).message());
                return ExitCodes.FAILED;
            }
            cardterm.devices.printer.face.CardFaceRenderer renderer;
            try {
                renderer = cardterm.devices.printer.face.CardFaceRenderer.of(found,
                        cardterm.devices.printer.face.CardFaceRenderer.TITLE_WENZHOU);
            } catch (IllegalArgumentException e) {
                err.println(who + ": " + e.getMessage());
                return ExitCodes.FAILED;
            }
            cardterm.terminal.issuance.IssuanceJob j = parsed.get();
            cardterm.devices.printer.face.CardFace face = new cardterm.devices.printer.face.CardFace(
                    j.citizen().name(), j.citizen().idNumber(), j.card().cardNumber(), j.card().issueDate(),
                    j.photo().map(cardterm.terminal.issuance.IssuanceJob.Photo::bytes).orElse(null));
            cardterm.devices.check.Problems faceProblems = renderer.check(face);
            if (!faceProblems.isEmpty()) {
                faceProblems.lines().forEach(l -> err.println(job + ": " + l));
                err.println(who + ": " + faceProblems.size() + " problem(s): the face cannot be rendered; nothing written");
                return ExitCodes.BAD_INPUT;
            }
            java.awt.image.BufferedImage image = renderer.renderFront(face);
            if (ribbonType != null) {
                image = cardterm.devices.printer.face.PanelComposer.compose(
                        new cardterm.devices.printer.face.PanelSplitter().split(image, ribbonType));
            }
            try {
                cardterm.devices.printer.face.CardFacePng.write(image, out);
            } catch (java.io.IOException | RuntimeException e) {
                err.println(who + ": cannot write " + out + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
                return ExitCodes.FAILED;
            }
            PrintWriter o = spec.commandLine().getOut();
            o.printf("card face of job %s (%d x %d%s, font %s) written to %s%n", j.jobId(), image.getWidth(),
                    image.getHeight(), ribbonType == null ? "" : ", as printed on a " + ribbonType + " ribbon",
                    found.source(), out);
            o.flush();
            return 0;
        }
    }
}
