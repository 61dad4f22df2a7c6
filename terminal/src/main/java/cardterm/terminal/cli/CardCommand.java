package cardterm.terminal.cli;

import cardterm.terminal.ExitCodes;
import cardterm.devices.check.Problems;
import cardterm.devices.chip.ChipData;
import cardterm.devices.chip.ChipPersonalizer;
import cardterm.devices.chip.ChipReading;
import cardterm.devices.chip.ChipResult;
import cardterm.devices.chip.PublicCardData;
import cardterm.devices.pcsc.PcscReader;
import cardterm.terminal.issuance.IssuanceJob;
import cardterm.terminal.issuance.IssuanceJobParser;
import cardterm.terminal.issuance.IssuancePolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cardterm card ...}: a technician's tools for the chip encoder on PC/SC readers.
 * {@code card read} shows an issued card's public data (ID number and name masked);
 * {@code card personalize} runs one issuance job file through the chip profile and prints the
 * outcome code. Exit codes: 0 ok, 1 failed (no reader, no card, blank card, chip outcome other
 * than OK), 2 bad input (bad job file, bad reader pattern).
 */
@Command(name = "card", mixinStandardHelpOptions = true,
        description = "Read or personalize the card in a PC/SC reader.",
        subcommands = {CardCommand.Read.class, CardCommand.Personalize.class})
public final class CardCommand extends CommandGroup {
    @Spec
    CommandLine.Model.CommandSpec spec;


    /** {@code card read --reader NAME}. */
    @Command(name = "read", mixinStandardHelpOptions = true,
            description = "Show an issued card's public data (ID number and name masked).")
    static final class Read implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--reader", required = true, paramLabel = "NAME",
                description = "PC/SC reader: exact name or /regex/.")
        String reader;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PcscReader r;
            try {
                r = PcscReader.of("reader.card", reader);
            } catch (IllegalArgumentException e) {
                err.println("cardterm card read: --reader: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            try (r) {
                ChipReading reading = new ChipPersonalizer(r, null).read();
                switch (reading) {
                    case ChipReading.Issued issued -> {
                        print(out, issued.data());
                        return 0;
                    }
                    case ChipReading.Blank blank -> {
                        err.println("cardterm card read: blank card: not issued yet (region " + blank.region() + ")");
                        return ExitCodes.FAILED;
                    }
                    case ChipReading.Failed failed -> {
                        err.println("cardterm card read: " + failed.outcome() + ": " + failed.detail());
                        return ExitCodes.FAILED;
                    }
                }
            }
        }

        private static void print(PrintWriter out, PublicCardData d) {
            out.println("card number: " + d.cardNumber());
            out.println("ID number:   " + d.maskedIdNumber());
            out.println("name:        " + d.maskedName());
            out.println("issued:      " + d.issueDate());
            out.println("expires:     " + d.expiryDate());
            out.println("concession:  " + d.concession().map(Object::toString).orElse("none (no transit application)"));
            out.println("region:      " + d.region());
        }
    }

    /** {@code card personalize --job FILE --reader NAME --sam NAME}. */
    @Command(name = "personalize", mixinStandardHelpOptions = true,
            description = "Write an issuance job (JSON, the hub's issue args) into the card; prints the outcome code.")
    static final class Personalize implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--job", required = true, paramLabel = "FILE", description = "Issuance job (JSON).")
        Path job;

        @Option(names = "--reader", required = true, paramLabel = "NAME",
                description = "PC/SC reader of the card encoder: exact name or /regex/.")
        String reader;

        @Option(names = "--sam", required = true, paramLabel = "NAME",
                description = "PC/SC reader holding the SAM: exact name or /regex/.")
        String sam;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Problems problems = new Problems();
            String text = null;
            try {
                text = Files.readString(job, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add("--job", "cannot read " + job + ": " + e.getClass().getSimpleName());
            }
            IssuanceJob parsed = null;
            if (text != null) {
                Problems jobProblems = new Problems();
                parsed = IssuanceJobParser.parse(text, jobProblems).orElse(null);
                problems.addAll(jobProblems);
            }
            PcscReader cardReader = null;
            PcscReader samReader = null;
            try {
                cardReader = PcscReader.of("reader.card", reader);
            } catch (IllegalArgumentException e) {
                problems.add("--reader", e.getMessage());
            }
            try {
                samReader = PcscReader.of("reader.sam", sam);
            } catch (IllegalArgumentException e) {
                problems.add("--sam", e.getMessage());
            }
            if (!problems.isEmpty()) {
                err.println("cardterm card personalize: " + problems.size() + " problem"
                        + (problems.size() == 1 ? "" : "s") + ":");
                problems.lines().forEach(l -> err.println("  " + l));
                return ExitCodes.BAD_INPUT;
            }
            PcscReader cardRole = cardReader;
            PcscReader samRole = samReader;
            try (cardRole; samRole) {
                IssuancePolicy.Decision decision = IssuancePolicy.DEFAULT.decide(parsed);
                ChipData data = parsed.chipData(decision.concession());
                ChipResult result = new ChipPersonalizer(cardRole, samRole).personalize(data);
                out.println(result.outcome().code());
                err.println("job " + parsed.jobId() + ": elderly=" + decision.elderly()
                        + " concession=" + decision.concession().type().eventName()
                        + " written=" + String.join(",", result.recordsWritten()));
                if (!result.ok()) {
                    if (!result.detail().isEmpty()) {
                        err.println("detail: " + result.detail());
                    }
                    if (result.partlyWritten()) {
                        err.println("the card is partly written" + (result.failedRecord() == null ? ""
                                : " (failed at " + result.failedRecord() + ")") + ": reject it, never hand it out");
                    }
                    return ExitCodes.FAILED;
                }
                return 0;
            }
        }
    }
}
