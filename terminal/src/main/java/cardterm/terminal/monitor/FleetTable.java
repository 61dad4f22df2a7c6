package cardterm.terminal.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders terminals for a technician: a text table (rows with problems first, marked {@code !!}
 * and, on a terminal, in red), or JSON for machines. Pure.
 */
public final class FleetTable {
    private static final String RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";
    private static final String[] HEAD = {"", "SITE", "TERMINAL", "LINK", "STATUS", "DEVICES", "SUPPLIES", "BACKLOG",
        "LAST EVENT", "PROBLEMS"};

    private FleetTable() {}

    /** The table, one line per terminal, and a summary line. */
    public static List<String> text(List<TerminalView> terminals, Instant now, ZoneId zone, boolean colour) {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(zone);
        List<String[]> rows = new ArrayList<>();
        rows.add(HEAD);
        for (TerminalView t : terminals) {
            rows.add(new String[] {
                t.hasProblems() ? "!!" : "",
                t.site(),
                t.terminal(),
                link(t, now, time),
                t.status().orElse("-"),
                devices(t),
                supplies(t),
                t.backlog() < 0 ? "-" : t.backlog() + (t.oldestAgeMs() > 0 ? " (" + age(t.oldestAgeMs()) + ")" : ""),
                t.lastEvent().map(e -> e.type() + " " + time.format(e.at())).orElse("-"),
                String.join("; ", t.problems())});
        }
        int[] w = new int[HEAD.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : pad(r[i], w[i])).append(i == r.length - 1 ? "" : "  ");
            }
            String line = sb.toString().stripTrailing();
            boolean problem = k > 0 && terminals.get(k - 1).hasProblems();
            out.add(colour && problem ? RED + line + RESET : line);
        }
        long bad = terminals.stream().filter(TerminalView::hasProblems).count();
        long offline = terminals.stream().filter(t -> t.online().isPresent() && !t.online().get()).count();
        out.add(terminals.size() + " terminals, " + bad + " with problems, " + offline + " offline");
        return out;
    }

    private static String link(TerminalView t, Instant now, DateTimeFormatter time) {
        String word = t.online().map(o -> o ? "online" : "OFFLINE").orElse("?");
        return t.since().map(s -> word + " since " + time.format(s) + " (" + age(Duration.between(s, now).toMillis())
                + ")").orElse(word);
    }

    private static String devices(TerminalView t) {
        if (t.devices().isEmpty()) {
            return "-";
        }
        long ok = t.devices().values().stream().filter(d -> d.state().equals("ONLINE")).count();
        String notOk = t.devices().entrySet().stream().filter(e -> !e.getValue().state().equals("ONLINE"))
                .map(e -> e.getKey() + " " + e.getValue().state() + "/" + e.getValue().reason())
                .collect(Collectors.joining(", "));
        return ok + "/" + t.devices().size() + " online" + (notOk.isEmpty() ? "" : ", " + notOk);
    }

    private static String supplies(TerminalView t) {
        if (t.supplies().isEmpty()) {
            return "-";
        }
        return t.supplies().stream().map(s -> s.supply() + " " + s.level() + s.left().map(l -> " " + l).orElse(""))
                .collect(Collectors.joining(", "));
    }

    static String age(long ms) {
        if (ms < 0) {
            return "-";
        }
        long s = ms / 1000;
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        if (s < 172_800) {
            return s / 3600 + "h";
        }
        return s / 86_400 + "d";
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    /** {@code {"ts","terminals":[...],"summary":{...}}}. */
    public static ObjectNode json(List<TerminalView> terminals, Instant now) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("ts", now.toString());
        ArrayNode arr = o.putArray("terminals");
        for (TerminalView t : terminals) {
            ObjectNode n = arr.addObject();
            n.put("site", t.site());
            n.put("terminal", t.terminal());
            if (t.online().isPresent()) {
                n.put("online", t.online().get());
            } else {
                n.putNull("online");
            }
            t.since().ifPresentOrElse(s -> n.put("since", s.toString()), () -> n.putNull("since"));
            n.put("version", t.version());
            t.status().ifPresentOrElse(s -> n.put("status", s), () -> n.putNull("status"));
            ObjectNode devs = n.putObject("devices");
            t.devices().forEach((id, d) -> {
                ObjectNode dn = devs.putObject(id);
                dn.put("state", d.state());
                dn.put("reason", d.reason());
                dn.put("message", d.message());
            });
            ArrayNode sup = n.putArray("supplies");
            for (TerminalView.Supply s : t.supplies()) {
                ObjectNode sn = sup.addObject();
                sn.put("device", s.device());
                sn.put("supply", s.supply());
                sn.put("level", s.level());
                s.left().ifPresent(l -> sn.put("left", l));
            }
            if (t.backlog() >= 0) {
                n.put("backlog", t.backlog());
            } else {
                n.putNull("backlog");
            }
            if (t.oldestAgeMs() >= 0) {
                n.put("oldestAgeMs", t.oldestAgeMs());
            } else {
                n.putNull("oldestAgeMs");
            }
            t.lastEvent().ifPresentOrElse(e -> {
                ObjectNode en = n.putObject("lastEvent");
                en.put("type", e.type());
                en.put("ts", e.at().toString());
            }, () -> n.putNull("lastEvent"));
            n.put("ok", !t.hasProblems());
            ArrayNode p = n.putArray("problems");
            t.problems().forEach(p::add);
        }
        ObjectNode s = o.putObject("summary");
        s.put("terminals", terminals.size());
        s.put("withProblems", terminals.stream().filter(TerminalView::hasProblems).count());
        s.put("offline", terminals.stream().filter(t -> t.online().isPresent() && !t.online().get()).count());
        return o;
    }
}
