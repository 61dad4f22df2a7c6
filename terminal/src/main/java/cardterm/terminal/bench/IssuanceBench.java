package cardterm.terminal.bench;

import static cardterm.terminal.bench.BenchSupport.deleteQuietly;

import cardterm.terminal.ExitCodes;
import cardterm.devices.check.Problems;
import cardterm.devices.chip.sim.SimulatedReaderPair;
import cardterm.devices.printer.CardDestination;
import cardterm.devices.printer.EclPrinter;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.devices.printer.face.FontCheck;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterModelListener;
import cardterm.devices.printer.sim.EclPrinterServer;
import cardterm.terminal.audit.AuditLog;
import cardterm.terminal.issuance.ChipStation;
import cardterm.terminal.issuance.IssuanceJob;
import cardterm.terminal.issuance.IssuanceJobParser;
import cardterm.terminal.issuance.IssuanceJournal;
import cardterm.terminal.issuance.IssuancePolicy;
import cardterm.terminal.issuance.IssuanceService;
import cardterm.terminal.sim.DemoJobs;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cardterm bench issuance}: the terminal's own time per card. Runs the real issuance service
 * (durable journal, outbox and audit log in a SQLite file in a temporary directory) on fast
 * simulators: the ecl printer simulator with instant mechanics on an in-process link, and the
 * simulated card and SAM in process. For every job it measures the wall time from submission to the
 * job's end and the time spent inside printer calls and APDU exchanges; the terminal's own time is
 * the difference (validation, policy, journaling, events, audit, card face rendering and panel
 * splitting, queueing). Ends with one line {@code jobs=.. overhead_ms=.. total_ms=..}: the mean
 * per card of the terminal's own time and of the whole time. Goal: overhead at most 50 ms.
 */
@Command(name = "issuance", mixinStandardHelpOptions = true,
        description = "The terminal's own time per card (total minus waiting on printer and card) on fast simulators.")
public final class IssuanceBench implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--jobs", defaultValue = "100", description = "Jobs measured (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--warmup", defaultValue = "5", description = "Jobs run first and not counted (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--font", description = "Font file of the card face (default: the card font bundled in cardterm).")
    Path font;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (jobs < 1 || jobs > 1000 || warmup < 0 || warmup > 100) {
            err.println("cardterm bench issuance: --jobs must be 1..1000, --warmup 0..100");
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        FontCheck f = FontCheck.find(Optional.ofNullable(font));
        if (!(f instanceof FontCheck.Found found)) {
            err.println("cardterm bench issuance: " + ((FontCheck.Missing) f).message());
            err.flush();
            return ExitCodes.FAILED;
        }
        Path dir = Files.createTempDirectory("cardterm-bench-issuance-");
        Clock clock = Clock.systemUTC();
        try (World w = new World(dir, clock, CardFaceRenderer.of(found, CardFaceRenderer.TITLE_WENZHOU), jobs + warmup)) {
            List<Long> own = new ArrayList<>();
            List<Long> total = new ArrayList<>();
            long device = 0;
            w.run(warmup, 0, null, null);
            long[] dev = new long[1];
            long wall = w.run(jobs, warmup, own, total, dev);
            device = dev[0];
            own.sort(Comparator.naturalOrder());
            double ownMean = own.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
            double totalMean = total.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
            out.printf(Locale.ROOT, "jobs run one after the other: %d (after %d warm-up), all completed%n", jobs, warmup);
            out.printf(Locale.ROOT, "wall time %.1f ms, waiting on printer and card %.1f ms%n", wall / 1e6, device / 1e6);
            out.printf(Locale.ROOT, "own time per card: mean %.2f ms, median %.2f ms, p95 %.2f ms, max %.2f ms%n",
                    ownMean, own.get(own.size() / 2) / 1e6, own.get(Math.min(own.size() - 1, own.size() * 95 / 100)) / 1e6,
                    own.getLast() / 1e6);
            out.printf(Locale.ROOT, "goal: own time per card <= 50 ms: %s%n", ownMean <= 50 ? "met" : "NOT met");
            out.printf(Locale.ROOT, "jobs=%d overhead_ms=%.2f total_ms=%.2f%n", jobs, ownMean, totalMean);
            out.flush();
            return 0;
        } catch (IllegalStateException e) {
            err.println("cardterm bench issuance: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The service on simulators, with its stores. */
    private static final class World implements AutoCloseable {
        private final Database db;
        private final Outbox outbox;
        private final SimulatedReaderPair readers;
        private final EclPrinterServer sim;
        private final EclPrinter printer;
        private final IssuanceService service;
        private final LinkedBlockingQueue<IssuanceService.Outcome> outcomes = new LinkedBlockingQueue<>();
        private final LocalDate today;

        World(Path dir, Clock clock, CardFaceRenderer renderer, int cards) {
            db = Database.open(dir);
            outbox = Outbox.open(db, OutboxSettings.of("bench", "bench-01"), clock);
            readers = new SimulatedReaderPair(clock, 1);
            sim = EclPrinterServer.instant(EclPrinterModel.Settings.colour().withFeeder(cards + 10)
                    .withRibbon(cardterm.devices.printer.RibbonType.YMCKO, cards + 10));
            sim.addListener(new EclPrinterModelListener() {
                @Override
                public void cardEnteredStation() {
                    readers.insertBlankCard();
                }

                @Override
                public void cardLeftStation(CardDestination destination) {
                    readers.removeCard();
                }
            });
            printer = EclPrinter.builder(sim.inProcessLink("bench-printer"))
                    .clock(clock).pollInterval(Duration.ofMinutes(5)).ownsLink(true).build().start();
            service = new IssuanceService(IssuancePolicy.DEFAULT, Duration.ofMinutes(10),
                    ChipStation.of(readers.cardReader(), readers.samReader()), printer, renderer, outbox, clock,
                    IssuanceJournal.open(db, clock), AuditLog.open(db, outbox, clock));
            service.addOutcomeListener(outcomes::add);
            service.start();
            today = LocalDate.now(clock.withZone(ZoneId.of("Asia/Shanghai")));
        }

        long run(int n, int offset, List<Long> own, List<Long> total) throws InterruptedException {
            return run(n, offset, own, total, new long[1]);
        }

        /** Runs n jobs one after the other; returns the wall time; adds each job's own and total time. */
        long run(int n, int offset, List<Long> own, List<Long> total, long[] device) throws InterruptedException {
            long wall0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int k = offset + i;
                int age = new int[] {35, 54, 58, 65, 75}[k % 5];
                IssuanceJob job = IssuanceJobParser.parse(DemoJobs.job(String.format("J-BENCH-%05d", k), "S1024", age,
                        k % 7 == 0, today, k), new Problems()).orElseThrow();
                long t0 = System.nanoTime();
                service.submit(job).ifPresent(r -> {
                    throw new IllegalStateException("job refused: " + r.code() + " " + r.message());
                });
                IssuanceService.Outcome o = outcomes.poll(60, TimeUnit.SECONDS);
                long t = System.nanoTime() - t0;
                if (o == null || !o.completed()) {
                    throw new IllegalStateException("job " + job.jobId() + " did not complete: "
                            + (o == null ? "no outcome within 60 s" : o.code()));
                }
                if (own != null) {
                    own.add(t - o.deviceNanos());
                    total.add(t);
                }
                device[0] += o.deviceNanos();
            }
            return System.nanoTime() - wall0;
        }

        @Override
        public void close() {
            service.close();
            printer.close();
            sim.close();
            readers.close();
            outbox.close();
            db.close();
        }
    }
}
