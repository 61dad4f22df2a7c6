package cardterm.terminal.app;

import cardterm.terminal.command.PrinterTestCommand;
import cardterm.terminal.hardware.TerminalDevices;
import cardterm.devices.health.DeviceHealth;
import cardterm.devices.health.MonitoredDevice;
import cardterm.devices.printer.Supplies;
import cardterm.devices.printer.Supply;
import cardterm.devices.printer.SupplyEvent;
import cardterm.devices.printer.SupplyLevel;
import cardterm.devices.printer.face.CardFaceDevice;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.terminal.assist.AssistService;
import cardterm.terminal.audit.AuditLog;
import cardterm.terminal.command.AuditedCommands;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.health.HealthMonitor;
import cardterm.terminal.health.SystemFigures;
import cardterm.terminal.command.CallCommand;
import cardterm.terminal.command.CancelCommand;
import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.command.DiagnoseCommand;
import cardterm.terminal.command.IssueCommand;
import cardterm.terminal.command.DiagnoseCommand;
import cardterm.terminal.hub.HubLink;
import cardterm.terminal.event.HubTime;
import cardterm.terminal.issuance.ChipStation;
import cardterm.terminal.issuance.IssuanceJournal;
import cardterm.terminal.issuance.IssuanceService;
import cardterm.terminal.store.Backlog;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.systemd.CoreLoops;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One counter terminal, assembled: the durable outbox and hub link, health, assistance calls and
 * issuance, on the devices it is given. {@code run} and {@code simulate} both start one.
 */
public final class TerminalService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TerminalService.class);

    private final TerminalConfig config;
    private final TerminalDevices devices;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Database db;
    private final Outbox outbox;
    private final CommandRegistry commands = new CommandRegistry();
    private final HubLink hub;
    private final HealthMonitor health;
    private final AssistService assist;
    private final IssuanceService issuance;
    private final CardFaceDevice cardFace;
    private final PrinterTestCommand printerTest;
    private final AuditLog audit;
    private final List<MonitoredDevice> watched = new ArrayList<>();
    private final cardterm.terminal.systemd.Liveness liveness = new cardterm.terminal.systemd.Liveness();
    private boolean closed;

    private TerminalService(TerminalConfig config, TerminalDevices devices, CardFaceDevice cardFace, Clock clock,
            String version) {
        this.config = config;
        this.devices = devices;
        this.clock = clock;
        this.scheduler = cardterm.devices.concurrent.ServiceThreads.scheduler("cardterm-sched", 2);
        Database openedDb = null;
        Outbox openedOutbox = null;
        try {
            openedDb = Database.open(config.terminal().dataDir());
            openedOutbox = Outbox.open(openedDb, config.outbox(), clock);
            this.hub = new HubLink(config.hub(), openedDb, openedOutbox,
                    commands, clock, version, config.staff());
        } catch (RuntimeException e) { // e.g. a TLS or key file that cannot be used: leave nothing open
            closeQuietly(openedOutbox);
            closeQuietly(openedDb);
            scheduler.shutdownNow();
            throw e;
        }
        this.db = openedDb;
        this.outbox = openedOutbox;
        this.health = new HealthMonitor(clock, outbox, hub::publishHealth, scheduler);
        this.assist = AssistService.onBoard(config.assist(), devices.gpio(), outbox, scheduler, clock);
        this.cardFace = cardFace;
        this.printerTest = new PrinterTestCommand(devices.printer(), this::jobsPending, outbox, clock);
        this.audit = AuditLog.open(db, outbox, clock);
        this.issuance = new IssuanceService(config.issuance().policy(), config.issuance().promisedDuration(),
                ChipStation.of(devices.readers(), devices.personalizer()), printerTest.sharedPrinter(), cardFace,
                outbox, clock, IssuanceJournal.open(db, clock), audit);
    }

    /** Assembles and starts a terminal. The caller closes it. */
    public static TerminalService start(TerminalConfig config, TerminalDevices devices, CardFaceRenderer renderer,
            Clock clock, String version) {
        return start(config, devices, CardFaceDevice.ready(renderer, clock), clock, version);
    }

    /**
     * Assembles and starts a terminal whose card face may be unusable (no CJK font): it starts all
     * the same, shows {@code cardface} OFFLINE in health and refuses jobs. The caller closes it.
     */
    public static TerminalService start(TerminalConfig config, TerminalDevices devices, CardFaceDevice cardFace,
            Clock clock, String version) {
        TerminalService t = new TerminalService(config, devices, cardFace, clock, version);
        try {
            t.startParts();
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void startParts() {
        registerCommands();
        watched.addAll(devices.readers());
        watched.add(devices.printer());
        watched.add(cardFace);
        watched.add(devices.gpio());
        watched.addAll(assist.devices());
        watched.add(audit.integrity()); // the chain checked at start: DEGRADED/INTEGRITY_BROKEN when broken
        watched.forEach(health::watch);
        health.section("supplies", this::supplies);
        health.section("outbox", this::outboxFigures);
        health.section("system", new SystemFigures(config.terminal().dataDir())::read);
        health.section("broker", this::brokerFigures);
        hub.addHealthListener((id, h) -> health.publishNow());
        devices.supplies().addListener(this::supplyChanged);
        AuditedCommands.wrapAll(commands, audit); // every command into the audit log, by staff id
        // jobs accepted before a restart go back into the queue before any new command can arrive
        issuance.start();
        hub.start();
        assist.start();
        health.start(config.health().interval());
        CoreLoops.watchScheduler(liveness, scheduler);
        CoreLoops.watchHubLink(liveness, hub.settings().connectTimeout(), hub::loopHeartbeatNanos);
        CoreLoops.watchIssuance(liveness, config.printer().timeouts().mechanical(), issuance::loopHeartbeatNanos);
        scheduler.scheduleAtFixedRate(this::publishMetrics, config.health().metricsInterval().toMillis(),
                config.health().metricsInterval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        log.info("terminal {}/{} started", config.terminal().site(), config.terminal().id());
    }

    private void registerCommands() {
        commands.register(IssueCommand.NAME, new IssueCommand(issuance, cardFace));
        commands.register(CancelCommand.NAME, new CancelCommand(issuance));
        commands.register(CallCommand.ACK, CallCommand.ack(assist));
        commands.register(CallCommand.RESOLVE, CallCommand.resolve(assist));
        commands.register(DiagnoseCommand.NAME, new DiagnoseCommand(
                () -> cardterm.terminal.diagnose.ServiceSelfTest.of(config, devices, health, hub, clock,
                        java.time.Duration.ofSeconds(5)).run().toJson()));
        commands.register(PrinterTestCommand.NAME, printerTest);
    }

    private boolean jobsPending() {
        return issuance.runningJob().isPresent() || issuance.queued() > 0;
    }

    private void supplyChanged(SupplyEvent e) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("device", e.deviceId());
        d.put("supply", supplyName(e.supply()));
        d.put("level", e.kind().name().toLowerCase(Locale.ROOT));
        if (!e.detail().isEmpty()) {
            d.put("detail", e.detail());
        }
        outbox.publish("device.supply", d);
        health.publishNow();
    }

    /** The printer's supplies as the {@code health} event's {@code supplies} section has them. */
    public JsonNode suppliesView() {
        return supplies();
    }

    /** The printer's lifetime count of cards sent to the reject box, when the printer said it. */
    public java.util.OptionalLong rejectedCards() {
        return devices.printer() instanceof cardterm.devices.printer.EclPrinter ecl && ecl.lastSupplies() != null
                ? java.util.OptionalLong.of(ecl.lastSupplies().rejected()) : java.util.OptionalLong.empty();
    }

    private JsonNode supplies() {
        var arr = JsonNodeFactory.instance.arrayNode();
        Supplies sup = devices.printer() instanceof cardterm.devices.printer.EclPrinter ecl ? ecl.lastSupplies() : null;
        for (Supply supply : Supply.values()) {
            ObjectNode s = arr.addObject();
            s.put("device", devices.printer().deviceId());
            s.put("supply", supplyName(supply));
            SupplyLevel level = devices.supplies().level(supply);
            s.put("level", level == SupplyLevel.UNKNOWN && sup != null ? "ok" : level.name().toLowerCase(Locale.ROOT));
            if (supply == Supply.RIBBON && sup != null) {
                s.put("left", sup.ribbonLeft());
                s.put("detail", sup.ribbon().name());
            }
        }
        return arr;
    }

    private static String supplyName(Supply s) {
        return switch (s) {
            case FEEDER -> "cards";
            case RIBBON -> "ribbon";
        };
    }

    private JsonNode outboxFigures() {
        Backlog b = outbox.backlog();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("backlog", b.count());
        if (b.oldest().isPresent()) {
            o.put("oldestAgeMs", Math.max(0, clock.millis() - b.oldest().get().toEpochMilli()));
        } else {
            o.putNull("oldestAgeMs");
        }
        ObjectNode byKind = o.putObject("byKind");
        b.byKind().forEach((kind, count) -> byKind.put(kind.name().toLowerCase(Locale.ROOT), count));
        return o;
    }

    private JsonNode brokerFigures() {
        HubLink.Status s = hub.status();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("connected", s.connected());
        o.put("since", HubTime.format(s.since(), clock));
        o.put("reconnects", Math.max(0, s.sessions() - 1));
        if (!s.connected()) {
            o.put("lastError", s.reason());
        }
        hub.sessionConflict().ifPresent(c -> o.put("conflict", c));
        return o;
    }

    private void publishMetrics() {
        try {
            ObjectNode m = JsonNodeFactory.instance.objectNode();
            m.put("ts", HubTime.format(clock.instant(), clock));
            m.put("intervalMs", config.health().metricsInterval().toMillis());
            ObjectNode f = m.putObject("figures");
            f.put("outbox.backlog", outbox.backlog().count());
            f.put("issuance.queued", issuance.queued());
            f.put("assist.open", assist.openCalls().size());
            hub.publishMetrics(m);
        } catch (RuntimeException e) {
            log.debug("metrics not sent: {}", e.toString());
        }
    }

    public TerminalConfig config() {
        return config;
    }

    public AssistService assist() {
        return assist;
    }

    public IssuanceService issuance() {
        return issuance;
    }

    public AuditLog audit() {
        return audit;
    }

    public HubLink hub() {
        return hub;
    }

    public Outbox outbox() {
        return outbox;
    }

    public HealthMonitor health() {
        return health;
    }

    /** Whether the core loops are alive (for the systemd watchdog). */
    public cardterm.terminal.systemd.Liveness liveness() {
        return liveness;
    }

    public Instant now() {
        return clock.instant();
    }

    public List<DeviceHealth> deviceHealth() {
        return watched.stream().map(MonitoredDevice::health).toList();
    }

    /** Each watched device's health by its id ({@code printer}, {@code reader.card}, ...), in watch order. */
    public java.util.Map<String, DeviceHealth> deviceHealthById() {
        java.util.Map<String, DeviceHealth> m = new java.util.LinkedHashMap<>();
        watched.forEach(d -> m.put(d.deviceId(), d.health()));
        return m;
    }

    /** Stops everything; the hub link publishes the offline state itself. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(issuance);
        closeQuietly(assist);
        closeQuietly(health);
        closeQuietly(hub);
        closeQuietly(outbox);
        closeQuietly(db);
        scheduler.shutdownNow();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
