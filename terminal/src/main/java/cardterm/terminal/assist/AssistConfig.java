package cardterm.terminal.assist;

import cardterm.devices.check.Problems;
import cardterm.devices.gpio.ActiveLevel;
import cardterm.devices.gpio.ButtonTiming;
import cardterm.devices.gpio.Pull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the assistance calls work by: the call buttons (each with its lamp and buzzer), the posts
 * whose staff answer them (A/B posts), the supervisors, and the times. Checked where made: every
 * problem is told at once in an {@link AssistConfigException}.
 *
 * @param buttons     the call points, in order
 * @param posts       post name to its A and B staff
 * @param supervisors staff ids told when a call goes unanswered for twice the B wait; they may
 *                    also resolve any call
 * @param timing      button and escalation times
 */
public record AssistConfig(List<ButtonConfig> buttons, Map<String, Post> posts, List<String> supervisors,
        Timing timing) {

    /** Ids of buttons and staff: letters, digits, {@code . _ -}, up to 64. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * One call point.
     *
     * @param id       device id of the button, e.g. {@code call-1}; its lamp and buzzer are
     *                 {@code call-1.lamp} and {@code call-1.buzzer}
     * @param location label staff read, e.g. "无障碍窗口 3号" or "waiting seats, row 2"
     * @param post     name of the post whose staff answer it
     * @param wiring   its pins
     */
    public record ButtonConfig(String id, String location, String post, Wiring wiring) {
        public String lampId() {
            return id + ".lamp";
        }

        public String buzzerId() {
            return id + ".buzzer";
        }
    }

    /**
     * The pins of one call point (BCM numbers).
     *
     * @param buttonPin    input of the button
     * @param lampPin      output of its lamp
     * @param buzzerPin    output of its buzzer
     * @param pull         the button input's bias
     * @param buttonActive the level at which the button counts as pressed
     * @param outputActive the level that lights the lamp and sounds the buzzer
     */
    public record Wiring(int buttonPin, int lampPin, int buzzerPin, Pull pull, ActiveLevel buttonActive,
            ActiveLevel outputActive) {
        /** Button to ground with pull-up (active LOW); lamp and buzzer active HIGH. */
        public static Wiring of(int buttonPin, int lampPin, int buzzerPin) {
            return new Wiring(buttonPin, lampPin, buzzerPin, Pull.UP, ActiveLevel.LOW, ActiveLevel.HIGH);
        }
    }

    /**
     * A post's staff: A answer first; B cover when A are away (AB岗制度).
     *
     * @param aStaff staff ids told at once
     * @param bStaff staff ids told after the B wait
     */
    public record Post(List<String> aStaff, List<String> bStaff) {
        public Post {
            aStaff = aStaff == null ? null : Collections.unmodifiableList(new ArrayList<>(aStaff));
            bStaff = bStaff == null ? null : Collections.unmodifiableList(new ArrayList<>(bStaff));
        }
    }

    /**
     * Times.
     *
     * @param debounce    a release counts after the line stays released this long
     * @param longPress   held this long: the caller cancels the call
     * @param stuckAfter  held this long: the button is stuck
     * @param escalateToB an unacknowledged call goes to post B after this, to the supervisors
     *                    after twice this
     * @param reminderGap at most one {@code assist.call.reminded} event per call this often; presses
     *                    between are counted, not lost
     */
    public record Timing(Duration debounce, Duration longPress, Duration stuckAfter, Duration escalateToB,
            Duration reminderGap) {
        public static final Timing DEFAULT = new Timing(ButtonTiming.DEFAULT_DEBOUNCE,
                ButtonTiming.DEFAULT_LONG_PRESS, ButtonTiming.DEFAULT_STUCK_AFTER, Duration.ofSeconds(60),
                Duration.ofSeconds(5));

        public ButtonTiming buttonTiming() {
            return new ButtonTiming(debounce, longPress, stuckAfter);
        }

        /** Twice the B wait. */
        public Duration escalateToSupervisor() {
            return escalateToB.multipliedBy(2);
        }
    }

    public AssistConfig {
        Problems problems = check(buttons, posts, supervisors, timing);
        if (!problems.isEmpty()) {
            throw new AssistConfigException(problems);
        }
        buttons = List.copyOf(buttons);
        posts = Collections.unmodifiableMap(new LinkedHashMap<>(posts));
        supervisors = List.copyOf(supervisors);
    }

    /** The button with this id, or {@code null}. */
    public ButtonConfig button(String id) {
        for (ButtonConfig b : buttons) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        return null;
    }

    /** Whether {@code staffId} is a configured supervisor. */
    public boolean isSupervisor(String staffId) {
        return supervisors.contains(staffId);
    }

    /** Every problem of these parts at once (empty if they make a good config). */
    public static Problems check(List<ButtonConfig> buttons, Map<String, Post> posts, List<String> supervisors,
            Timing timing) {
        Problems p = new Problems();
        if (posts == null) {
            p.add("posts", "is missing");
        } else {
            posts.forEach((name, post) -> checkPost(p, "posts." + name, name, post));
        }
        if (buttons == null) {
            p.add("buttons", "is missing");
        } else {
            checkButtons(p, buttons, posts);
        }
        if (supervisors == null || supervisors.isEmpty() && buttons != null && !buttons.isEmpty()) {
            p.add("supervisors", "name at least one supervisor: unanswered calls go to them");
        } else {
            checkStaff(p, "supervisors", supervisors);
        }
        if (timing == null) {
            p.add("timing", "is missing");
        } else {
            p.addAll("timing", ButtonTiming.check(timing.debounce(), timing.longPress(), timing.stuckAfter()));
            if (timing.escalateToB() == null || !timing.escalateToB().isPositive()) {
                p.add("timing.escalateToB", "must be a positive time, is " + timing.escalateToB());
            }
            if (timing.reminderGap() == null || timing.reminderGap().isNegative()) {
                p.add("timing.reminderGap", "must not be negative, is " + timing.reminderGap());
            }
        }
        return p;
    }

    private static void checkPost(Problems p, String field, String name, Post post) {
        if (name == null || !ID.matcher(name).matches()) {
            p.add(field, "post name must match " + ID.pattern());
        }
        if (post == null) {
            p.add(field, "is missing");
            return;
        }
        if (post.aStaff() == null || post.aStaff().isEmpty()) {
            p.add(field + ".aStaff", "name at least one A staff member");
        } else {
            checkStaff(p, field + ".aStaff", post.aStaff());
        }
        if (post.bStaff() == null || post.bStaff().isEmpty()) {
            p.add(field + ".bStaff", "name at least one B staff member: B covers when A is away");
        } else {
            checkStaff(p, field + ".bStaff", post.bStaff());
        }
    }

    private static void checkStaff(Problems p, String field, List<String> staff) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < staff.size(); i++) {
            String s = staff.get(i);
            if (s == null || !ID.matcher(s).matches()) {
                p.add(field + "[" + i + "]", "staff id must match " + ID.pattern() + ", is " + s);
            } else if (!seen.add(s)) {
                p.add(field + "[" + i + "]", s + " is named twice");
            }
        }
    }

    private static void checkButtons(Problems p, List<ButtonConfig> buttons, Map<String, Post> posts) {
        Set<String> ids = new HashSet<>();
        Map<Integer, String> pins = new HashMap<>();
        for (int i = 0; i < buttons.size(); i++) {
            String f = "buttons[" + i + "]";
            ButtonConfig b = buttons.get(i);
            if (b == null) {
                p.add(f, "is missing");
                continue;
            }
            if (b.id() == null || !ID.matcher(b.id()).matches()) {
                p.add(f + ".id", "must match " + ID.pattern() + ", is " + b.id());
            } else if (!ids.add(b.id())) {
                p.add(f + ".id", b.id() + " is used twice");
            }
            if (b.location() == null || b.location().isBlank()) {
                p.add(f + ".location", "say where the button is, for the staff who come");
            } else if (b.location().length() > 64) {
                p.add(f + ".location", "at most 64 characters, has " + b.location().length());
            }
            if (b.post() == null || b.post().isBlank()) {
                p.add(f + ".post", "name the post whose staff answer it");
            } else if (posts != null && !posts.containsKey(b.post())) {
                p.add(f + ".post", "no post " + b.post() + " in posts " + posts.keySet());
            }
            Wiring w = b.wiring();
            if (w == null) {
                p.add(f + ".wiring", "is missing");
                continue;
            }
            claimPin(p, pins, f + ".wiring.buttonPin", w.buttonPin(), b.id() + " button");
            claimPin(p, pins, f + ".wiring.lampPin", w.lampPin(), b.id() + " lamp");
            claimPin(p, pins, f + ".wiring.buzzerPin", w.buzzerPin(), b.id() + " buzzer");
            if (w.pull() == null) {
                p.add(f + ".wiring.pull", "is missing");
            }
            if (w.buttonActive() == null) {
                p.add(f + ".wiring.buttonActive", "is missing");
            }
            if (w.outputActive() == null) {
                p.add(f + ".wiring.outputActive", "is missing");
            }
        }
    }

    private static void claimPin(Problems p, Map<Integer, String> pins, String field, int pin, String what) {
        if (pin < 0 || pin > 255) {
            p.add(field, "pin must be 0..255, is " + pin);
            return;
        }
        String owner = pins.putIfAbsent(pin, what);
        if (owner != null) {
            p.add(field, "pin " + pin + " is already the " + owner);
        }
    }
}
