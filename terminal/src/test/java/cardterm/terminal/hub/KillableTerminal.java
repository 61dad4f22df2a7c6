package cardterm.terminal.hub;

import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A terminal process for the kill test: opens the outbox in a data directory, connects the hub
 * link, and publishes about 1,000 events a second, printing {@code OK <seq> <id>} once
 * each publish returned. The test kills it with SIGKILL at random moments.
 *
 * <p>Arguments: data directory, broker URI, terminal id.
 */
public final class KillableTerminal {
    private KillableTerminal() {}

    static final String[] TYPES = {"assist.call.raised", "issuance.step", "device.status", "audit.command.executed"};

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String uri = args[1];
        String terminal = args[2];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Database db = Database.open(dir);
        Outbox outbox = Outbox.open(db, OutboxSettings.of(Rig.SITE, terminal), Clock.systemDefaultZone());
        HubSettings settings = HubSettings.builder(Rig.SITE, terminal).uri(uri).keepAlive(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).inflightWindow(50).build();
        HubLink link = new HubLink(settings, db, outbox, new CommandRegistry(), Clock.systemDefaultZone(), "kill-test");
        link.start();
        out.println("STARTED " + outbox.lastSeq());
        // about 1,000 events a second, from two threads, while the link delivers
        ScheduledExecutorService producers = Executors.newScheduledThreadPool(2);
        AtomicLong n = new AtomicLong();
        for (int t = 0; t < 2; t++) {
            producers.scheduleAtFixedRate(() -> {
                long i = n.getAndIncrement();
                ObjectNode data = Rig.JSON.createObjectNode().put("i", i).put("pid", ProcessHandle.current().pid());
                EventEnvelope e = outbox.publish(TYPES[(int) (i % TYPES.length)], data);
                out.println("OK " + e.seq() + " " + e.id() + (link.isConnected() ? " connected" : ""));
            }, 0, 2, TimeUnit.MILLISECONDS);
        }
    }
}
