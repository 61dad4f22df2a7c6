package cardterm.terminal.sim;

import cardterm.terminal.event.SafeText;
import java.util.List;
import java.util.Locale;

/**
 * One line typed on {@code simulate --scenario none}'s standard input, parsed. Pure: parsing
 * gives a command or a message saying what is wrong and what would be right.
 */
public sealed interface SimCommand {
    record Press(String button) implements SimCommand {}

    record Hold(String button, double seconds) implements SimCommand {}

    record Ack(String callId, String staffId) implements SimCommand {}

    record Resolve(String callId, String staffId) implements SimCommand {}

    /** Issue a demo card for a citizen of this age (optionally opting out of the concession). */
    record Issue(int age, boolean optOut) implements SimCommand {}

    record Cover(boolean open) implements SimCommand {}

    record Jam() implements SimCommand {}

    record Feeder(int cards) implements SimCommand {}

    record Ribbon(int prints) implements SimCommand {}

    /** A person empties the printer's output tray ({@code tray}) or its reject box ({@code rejects}). */
    record Empty(String what) implements SimCommand {}

    /** Pull the card out of the encoder (or the printer link cable if {@code what} is "printer"). */
    record Yank(String what) implements SimCommand {}

    record Unplug(String what) implements SimCommand {}

    record Plug(String what) implements SimCommand {}

    record Status() implements SimCommand {}

    record Help() implements SimCommand {}

    record Quit() implements SimCommand {}

    /** A line that is not a command: the message says why. */
    record Invalid(String message) implements SimCommand {}

    /** Nothing (an empty line or a comment). */
    record Nothing() implements SimCommand {}

    List<String> HELP = List.of(
            "press ID               press and release call button ID (call-1, call-2)",
            "hold ID SECONDS        hold button ID down (3 s or more cancels the call)",
            "ack CALLID STAFF       staff member STAFF acknowledges call CALLID",
            "resolve CALLID STAFF   staff member STAFF resolves call CALLID",
            "issue AGE [optout]     issue a demo card for a citizen of AGE years (optout: no concession)",
            "cover open|close       open or close the printer cover",
            "jam                    jam the printer on its next print",
            "feeder N               put N blank cards in the feeder (0 = empty)",
            "ribbon N               load a colour ribbon with N prints left (0 = ended)",
            "empty tray|rejects     take the cards out of the output tray or the reject box",
            "yank [card|printer]    pull the card out of the encoder, or the printer cable",
            "unplug printer|reader  unplug the printer link or the card reader",
            "plug printer|reader    plug it back",
            "status                 show devices, calls and jobs",
            "help                   this list",
            "quit                   stop the simulation");

    static SimCommand parse(String line) {
        if (line == null) {
            return new Quit();
        }
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return new Nothing();
        }
        String[] w = t.split("\\s+");
        String verb = w[0].toLowerCase(Locale.ROOT);
        try {
            return switch (verb) {
                case "press" -> w.length == 2 ? new Press(w[1]) : usage("press ID");
                case "hold" -> w.length == 3 ? hold(w[1], w[2]) : usage("hold ID SECONDS");
                case "ack" -> w.length == 3 ? new Ack(w[1], w[2]) : usage("ack CALLID STAFF");
                case "resolve" -> w.length == 3 ? new Resolve(w[1], w[2]) : usage("resolve CALLID STAFF");
                case "issue" -> issue(w);
                case "cover" -> w.length == 2 && (w[1].equals("open") || w[1].equals("close"))
                        ? new Cover(w[1].equals("open")) : usage("cover open|close");
                case "jam" -> w.length == 1 ? new Jam() : usage("jam");
                case "feeder" -> w.length == 2 ? new Feeder(nonNegative(w[1], "feeder N")) : usage("feeder N");
                case "ribbon" -> w.length == 2 ? new Ribbon(nonNegative(w[1], "ribbon N")) : usage("ribbon N");
                case "empty" -> w.length == 2 && (w[1].equals("tray") || w[1].equals("rejects"))
                        ? new Empty(w[1]) : usage("empty tray|rejects");
                case "yank" -> w.length == 1 ? new Yank("card")
                        : w.length == 2 && (w[1].equals("card") || w[1].equals("printer")) ? new Yank(w[1])
                        : usage("yank [card|printer]");
                case "unplug" -> w.length == 2 && (w[1].equals("printer") || w[1].equals("reader"))
                        ? new Unplug(w[1]) : usage("unplug printer|reader");
                case "plug" -> w.length == 2 && (w[1].equals("printer") || w[1].equals("reader"))
                        ? new Plug(w[1]) : usage("plug printer|reader");
                case "status" -> new Status();
                case "help", "?" -> new Help();
                case "quit", "exit" -> new Quit();
                default -> new Invalid("unknown command '" + SafeText.of(w[0], 40) + "' (type help for the list)");
            };
        } catch (NumberFormatException e) {
            return new Invalid(e.getMessage());
        }
    }

    private static SimCommand hold(String button, String seconds) {
        double s;
        try {
            s = Double.parseDouble(seconds);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("hold ID SECONDS: '" + SafeText.of(seconds, 40) + "' is not a number of seconds");
        }
        if (!(s > 0 && s <= 600)) {
            throw new NumberFormatException("hold ID SECONDS: seconds must be above 0 and at most 600");
        }
        return new Hold(button, s);
    }

    private static SimCommand issue(String[] w) {
        if (w.length < 2 || w.length > 3 || w.length == 3 && !w[2].equalsIgnoreCase("optout")) {
            return usage("issue AGE [optout]");
        }
        int age = nonNegative(w[1], "issue AGE");
        if (age < 16 || age > 120) {
            throw new NumberFormatException("issue AGE: age must be 16 to 120");
        }
        return new Issue(age, w.length == 3);
    }

    private static int nonNegative(String s, String usage) {
        try {
            int n = Integer.parseInt(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new NumberFormatException(usage + ": '" + SafeText.of(s, 40) + "' is not a whole number >= 0");
        }
    }

    private static Invalid usage(String usage) {
        return new Invalid("usage: " + usage);
    }
}
