package cardterm.terminal.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * All terminals a technician watches, built from MQTT messages ({@code cardterm/v1/{site}/{terminal}/
 * state|health|event/*}) fed in by {@link #accept}. Pure: no threads or network; the time a message
 * arrived is passed in. A will whose {@code bdSeq} is older than the online state already seen is
 * stale and ignored (hub-contract.md). Thread-safe.
 */
public final class FleetView {
    private static final Pattern TOPIC = Pattern.compile(
            "cardterm/v1/(" + cardterm.terminal.Ids.SEGMENT.pattern() + ")/(" + cardterm.terminal.Ids.SEGMENT.pattern()
                    + ")/(state|health|event/[a-z]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** When a backlog counts as a problem: its oldest event waited longer than this. */
    private final Duration backlogAge;

    private final Map<String, Entry> terminals = new TreeMap<>();
    private long changes;

    private static final class Entry {
        final String site;
        final String terminal;
        Boolean online;
        long bdSeq = -1;
        Instant since;
        String version = "";
        JsonNode health;
        TerminalView.LastEvent lastEvent;
        /** The view of what is above, made again only after a message changed it. */
        TerminalView view;

        Entry(String site, String terminal) {
            this.site = site;
            this.terminal = terminal;
        }
    }

    public FleetView(Duration backlogAge) {
        this.backlogAge = backlogAge;
    }

    public FleetView() {
        this(Duration.ofMinutes(5));
    }

    /** Takes one message; returns false when the topic or payload is not one of ours. */
    public synchronized boolean accept(String topic, byte[] payload, Instant receivedAt) {
        Matcher m = TOPIC.matcher(topic);
        if (!m.matches()) {
            return false;
        }
        JsonNode json;
        try {
            json = JSON.readTree(payload);
        } catch (IOException e) {
            return false;
        }
        if (json == null || !json.isObject()) {
            return false;
        }
        changes++;
        Entry e = terminals.computeIfAbsent(m.group(1) + "/" + m.group(2), k -> new Entry(m.group(1), m.group(2)));
        e.view = null;
        String kind = m.group(3);
        if (kind.equals("state")) {
            boolean on = json.path("online").asBoolean(false);
            long bd = json.path("bdSeq").asLong(-1);
            if (!on && Boolean.TRUE.equals(e.online) && bd >= 0 && bd < e.bdSeq) {
                return true; // a stale will of an earlier session
            }
            e.online = on;
            e.bdSeq = bd;
            if (on) {
                e.version = json.path("version").asText("");
                e.since = TerminalView.instant(json.get("startedAt")).or(() -> TerminalView.instant(json.get("ts")))
                        .orElse(receivedAt);
            } else {
                e.since = TerminalView.instant(json.get("ts")).orElse(receivedAt);
            }
        } else if (kind.equals("health")) {
            e.health = json;
        } else {
            e.lastEvent = new TerminalView.LastEvent(json.path("type").asText(kind.substring("event/".length())),
                    TerminalView.instant(json.get("ts")).orElse(receivedAt));
        }
        return true;
    }

    /** How many messages changed the view so far (to tell cheaply whether to look again). */
    public synchronized long changes() {
        return changes;
    }

    /** Every site known, sorted. */
    public synchronized List<String> sites() {
        return terminals.values().stream().map(e -> e.site).distinct().sorted().toList();
    }

    /** One terminal, if known. */
    public synchronized Optional<TerminalView> terminal(String site, String terminal) {
        Entry e = terminals.get(site + "/" + terminal);
        return e == null ? Optional.empty() : Optional.of(view(e));
    }

    /** How many terminals are known. */
    public synchronized int size() {
        return terminals.size();
    }

    /** Every terminal (of {@code site}, if given): those with problems first, then by site and id. */
    public synchronized List<TerminalView> terminals(Optional<String> site) {
        List<TerminalView> out = new ArrayList<>();
        for (Entry e : terminals.values()) {
            if (site.isEmpty() || site.get().equals(e.site)) {
                out.add(view(e));
            }
        }
        out.sort(Comparator.comparing((TerminalView v) -> !v.hasProblems()).thenComparing(TerminalView::site)
                .thenComparing(TerminalView::terminal));
        return out;
    }

    private TerminalView view(Entry e) {
        if (e.view == null) {
            e.view = make(e);
        }
        return e.view;
    }

    private TerminalView make(Entry e) {
        List<String> problems = new ArrayList<>();
        Map<String, TerminalView.Device> devices = new LinkedHashMap<>();
        List<TerminalView.Supply> supplies = new ArrayList<>();
        long backlog = -1;
        long oldest = -1;
        Optional<String> status = Optional.empty();
        Optional<Instant> healthAt = Optional.empty();
        if (e.online == null) {
            problems.add("no state published");
        } else if (!e.online) {
            problems.add("OFFLINE");
        }
        if (e.health != null) {
            JsonNode h = e.health;
            status = Optional.of(h.path("status").asText("UNKNOWN"));
            healthAt = TerminalView.instant(h.get("ts"));
            h.path("devices").fields().forEachRemaining(d -> {
                JsonNode v = d.getValue();
                devices.put(d.getKey(), new TerminalView.Device(v.path("state").asText("UNKNOWN"),
                        v.path("reason").asText(""), v.path("message").asText("")));
            });
            for (JsonNode s : h.path("supplies")) {
                JsonNode left = s.get("left");
                supplies.add(new TerminalView.Supply(s.path("device").asText(""), s.path("supply").asText(""),
                        s.path("level").asText("unknown"),
                        left != null && left.isNumber() ? Optional.of(left.asLong()) : Optional.empty()));
            }
            JsonNode conflict = h.path("broker").get("conflict");
            if (conflict != null && conflict.isTextual()) {
                // whether online or not: two terminals with one id take turns being offline
                problems.add("ID CLAIMED TWICE: " + conflict.asText());
            }
            backlog = h.path("outbox").path("backlog").asLong(-1);
            JsonNode age = h.path("outbox").path("oldestAgeMs");
            oldest = age.isNumber() ? age.asLong() : -1;
            if (Boolean.TRUE.equals(e.online)) {
                devices.forEach((id, d) -> {
                    if (!d.state().equals("ONLINE")) {
                        problems.add(id + " " + d.state() + "/" + d.reason()
                                + (d.message().isBlank() ? "" : " (" + d.message() + ")"));
                    }
                });
                for (TerminalView.Supply s : supplies) {
                    if (s.level().equals("low") || s.level().equals("empty")) {
                        problems.add(s.supply() + " " + s.level());
                    }
                }
                if (oldest > backlogAge.toMillis()) {
                    problems.add("backlog " + backlog + " waiting " + Duration.ofMillis(oldest).toMinutes() + " min");
                }
                // broker.connected false in a retained health is the document stored before the link
                // came up; a link that is really down shows as OFFLINE (the will)
            }
        } else if (Boolean.TRUE.equals(e.online)) {
            problems.add("no health published");
        }
        return new TerminalView(e.site, e.terminal, Optional.ofNullable(e.online), Optional.ofNullable(e.since),
                e.version, status, healthAt, devices, supplies, backlog, oldest, Optional.ofNullable(e.lastEvent),
                problems);
    }
}
