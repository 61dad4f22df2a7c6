package cardterm.terminal.hub;

import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.store.Database;
import cardterm.terminal.store.Outbox;
import cardterm.terminal.store.OutboxSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** One terminal's database, outbox and hub link for tests; closes them in the right order. */
final class Rig implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SITE = "wz-lucheng-01";

    final Database db;
    final Outbox outbox;
    final CommandRegistry commands = new CommandRegistry();
    final HubLink link;

    Rig(Path dir, String terminal, String uri, Clock clock, UnaryOperator<HubSettings.Builder> tweak) {
        this(dir, terminal, uri, clock, tweak, OutboxSettings.DEFAULT_MAX_ENTRIES);
    }

    Rig(Path dir, String terminal, String uri, Clock clock, UnaryOperator<HubSettings.Builder> tweak,
            long maxEntries) {
        db = Database.open(dir);
        outbox = Outbox.open(db, OutboxSettings.of(SITE, terminal).withMaxEntries(maxEntries), clock);
        HubSettings.Builder b = HubSettings.builder(SITE, terminal).uri(uri).keepAlive(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(2)).backoff(Duration.ofMillis(50), Duration.ofMillis(500));
        link = new HubLink(tweak.apply(b).build(), db, outbox, commands, clock, "test-1.0");
    }

    static ObjectNode data(String key, long value) {
        ObjectNode n = JSON.createObjectNode();
        n.put(key, value);
        return n;
    }

    @Override
    public void close() {
        link.close();
        outbox.close();
        db.close();
    }
}
