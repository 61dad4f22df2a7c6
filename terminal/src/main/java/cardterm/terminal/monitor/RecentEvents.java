package cardterm.terminal.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recent events of the terminals a page is looking at, and of those only: the fleet is
 * watched by its retained {@code state} and {@code health}; a terminal's {@code event/#} is
 * subscribed while at least one page shows it ({@link #watch}, counted), and its last
 * {@value #KEEP} events are kept in a ring until the last page looks away. At most
 * {@value #MAX_WATCHED} terminals at once, so memory is bounded however large the fleet. Only a
 * short summary of each event is kept, from a list of fields that carry nothing personal
 * (ids of jobs and devices, states, reasons, levels): never a name or an ID number, even an
 * unmasked one. Thread-safe.
 */
public final class RecentEvents {
    /** Events kept per watched terminal. */
    public static final int KEEP = 50;
    /** Terminals watched at once, over all pages. */
    public static final int MAX_WATCHED = 64;
    /** The fields of an event's {@code data} a summary may show. */
    static final Set<String> SUMMARY_FIELDS = Set.of("jobId", "device", "state", "reason", "button", "post", "level",
            "supply", "action", "staffId", "result", "code", "outcome", "status", "queued", "to", "from", "step");
    private static final Pattern TOPIC = Pattern.compile("cardterm/v1/([^/]+)/([^/]+)/event/[a-z]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as shown: its type, time, seq and a short summary. */
    public record Event(String type, Optional<Instant> at, long seq, String summary) {}

    /** Subscribes and unsubscribes a topic filter (the watcher). */
    public interface Subscriber {
        void subscribe(String filter) throws Exception;

        void unsubscribe(String filter) throws Exception;
    }

    private static final class Ring {
        final ArrayDeque<Event> events = new ArrayDeque<>();
        int watchers;
    }

    private final Subscriber subscriber;
    /**
     * Orders subscribing and unsubscribing (a look away and a new look at one terminal must not
     * cross). Never taken on the broker's callback thread, which a subscribe waits on.
     */
    private final Object order = new Object();
    private final Map<String, Ring> rings = new HashMap<>();
    private long changes;

    public RecentEvents(Subscriber subscriber) {
        this.subscriber = subscriber;
    }

    /** A page's look at one terminal; closing it looks away. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts keeping {@code site/terminal}'s events (subscribed when this returns); empty when
     * {@value #MAX_WATCHED} terminals are watched already or the broker refused.
     */
    public Optional<Watch> watch(String site, String terminal) {
        synchronized (order) {
            return watch(site + "/" + terminal);
        }
    }

    private Optional<Watch> watch(String key) {
        synchronized (this) {
            Ring r = rings.get(key);
            if (r != null) {
                r.watchers++;
                return Optional.of(() -> lookAway(key));
            }
            if (rings.size() >= MAX_WATCHED) {
                return Optional.empty();
            }
            r = new Ring();
            r.watchers = 1;
            rings.put(key, r);
        }
        try {
            subscriber.subscribe(filter(key));
        } catch (Exception e) {
            synchronized (this) {
                rings.remove(key);
            }
            return Optional.empty();
        }
        return Optional.of(() -> lookAway(key));
    }

    private void lookAway(String key) {
        synchronized (order) {
            unwatch(key);
        }
    }

    private void unwatch(String key) {
        synchronized (this) {
            Ring r = rings.get(key);
            if (r == null || --r.watchers > 0) {
                return;
            }
            rings.remove(key);
        }
        try {
            subscriber.unsubscribe(filter(key));
        } catch (Exception e) {
            // the connection is gone; a reconnect does not subscribe it again
        }
    }

    private static String filter(String key) {
        return "cardterm/v1/" + key + "/event/#";
    }

    /** Takes a message (any topic; kept only for a watched terminal). */
    public void accept(String topic, byte[] payload) {
        Matcher m = TOPIC.matcher(topic);
        if (!m.matches()) {
            return;
        }
        String key = m.group(1) + "/" + m.group(2);
        synchronized (this) {
            if (!rings.containsKey(key)) {
                return;
            }
        }
        Event e = parse(payload);
        if (e == null) {
            return;
        }
        synchronized (this) {
            Ring r = rings.get(key);
            if (r != null) {
                r.events.addFirst(e);
                while (r.events.size() > KEEP) {
                    r.events.removeLast();
                }
                changes++;
            }
        }
    }

    /** The kept events of a terminal, newest first. */
    public synchronized List<Event> events(String site, String terminal) {
        Ring r = rings.get(site + "/" + terminal);
        return r == null ? List.of() : List.copyOf(r.events);
    }

    /** How many events were kept so far (to tell cheaply whether to look again). */
    public synchronized long changes() {
        return changes;
    }

    /** How many terminals are watched. */
    public synchronized int watched() {
        return rings.size();
    }

    static Event parse(byte[] payload) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
        if (n == null || !n.isObject() || !n.path("type").isTextual()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        n.path("data").fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            if (SUMMARY_FIELDS.contains(f.getKey()) && v.isValueNode() && !v.isNull() && parts.size() < 6) {
                String text = v.asText();
                parts.add(f.getKey() + "=" + (text.length() > 40 ? text.substring(0, 40) + "…" : text));
            }
        });
        return new Event(n.get("type").asText(), TerminalView.instant(n.get("ts")), n.path("seq").asLong(-1),
                String.join(", ", parts));
    }
}
