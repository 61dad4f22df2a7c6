package cardterm.terminal.assist;

import cardterm.devices.gpio.BeepPattern;
import cardterm.devices.gpio.LampPattern;
import cardterm.terminal.assist.AssistConfig.ButtonConfig;
import cardterm.terminal.assist.CallCommandResult.Code;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The assistance calls of one terminal, as a pure state machine: fed button presses, staff
 * commands and clock ticks (each with its {@code now}), it answers with typed results and the
 * effects to carry out - lamp and buzzer first, then events - and does no I/O and no threads.
 *
 * <p>One open call per button. A press raises a call (post A told at once) or, while one is open,
 * reminds of it: 100 presses a second are one call, and reminders are published at most once per
 * {@code reminderGap}, counting the presses between. Unacknowledged, a call escalates to post B
 * after {@code escalateToB} and to the supervisors after twice that. The first staff member to
 * acknowledge owns it (first-ask responsibility); only the owner or a supervisor resolves it; a
 * long press cancels it, unless it is the very press that raised the call. Closed calls are remembered (the last {@value #CLOSED_REMEMBERED}) so
 * late commands get ALREADY_CLOSED, not UNKNOWN_CALL.
 *
 * <p>Effects on the call point: raised: lamp SLOW, buzzer ONE; reminded: buzzer ONE (unless the
 * ALERT of an escalated call is sounding); escalated: lamp FAST, buzzer ALERT; acknowledged: lamp
 * ON, buzzer TWO; resolved: lamp OFF, buzzer OFF; cancelled: lamp OFF, buzzer ONE.
 *
 * <p>Not thread-safe: {@link AssistService} serialises calls.
 */
public final class CallStateMachine {
    /** How many closed calls are remembered for late commands. */
    public static final int CLOSED_REMEMBERED = 1000;

    public static final String RAISED = "assist.call.raised";
    public static final String REMINDED = "assist.call.reminded";
    public static final String ACKNOWLEDGED = "assist.call.acknowledged";
    public static final String ESCALATED = "assist.call.escalated";
    public static final String RESOLVED = "assist.call.resolved";
    public static final String CANCELLED = "assist.call.cancelled";

    private final AssistConfig config;
    private final Supplier<String> callIds;
    private final Map<String, Call> openByButton = new LinkedHashMap<>();
    private final Map<String, Call> openById = new LinkedHashMap<>();
    private final Map<String, Call> closed = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
            return size() > CLOSED_REMEMBERED;
        }
    };

    /**
     * @param config  buttons, posts, supervisors, times
     * @param callIds makes a new, globally unique call id per call
     */
    public CallStateMachine(AssistConfig config, Supplier<String> callIds) {
        this.config = Objects.requireNonNull(config, "config");
        this.callIds = Objects.requireNonNull(callIds, "callIds");
    }

    /** Button {@code buttonId} was pressed: raises a call, or reminds of the open one. */
    public List<AssistEffect> press(String buttonId, Instant now) {
        ButtonConfig button = knownButton(buttonId);
        Objects.requireNonNull(now, "now");
        Call open = openByButton.get(buttonId);
        List<AssistEffect> effects = new ArrayList<>(3);
        if (open == null) {
            Call c = new Call(callIds.get(), button, now);
            openByButton.put(buttonId, c);
            openById.put(c.id, c);
            effects.add(new AssistEffect.ShowLamp(buttonId, LampPattern.SLOW));
            effects.add(new AssistEffect.PlayBuzzer(buttonId, BeepPattern.ONE));
            ObjectNode data = base(c);
            data.put("level", EscalationLevel.A.wireName());
            data.set("staff", staff(post(c).aStaff()));
            effects.add(new AssistEffect.Publish(RAISED, data));
            return effects;
        }
        open.presses++;
        if (open.state == CallState.ACKNOWLEDGED || open.level == EscalationLevel.A) {
            effects.add(new AssistEffect.PlayBuzzer(buttonId, BeepPattern.ONE));
        }
        if (!now.isBefore(open.lastReport.plus(config.timing().reminderGap()))) {
            open.lastReport = now;
            ObjectNode data = base(open);
            data.put("state", open.state.name());
            data.put("presses", open.presses);
            data.put("waitedMs", ms(open.raisedAt, now));
            effects.add(new AssistEffect.Publish(REMINDED, data));
        }
        return effects;
    }

    /**
     * Button {@code buttonId} was held for the long-press time: the caller cancels the open call -
     * unless the held press is the one that raised it. A caller unsure the press registered may
     * well hold it down; that must not silently undo the call. To cancel, press again and hold.
     */
    public List<AssistEffect> longPress(String buttonId, Instant now) {
        knownButton(buttonId);
        Objects.requireNonNull(now, "now");
        Call c = openByButton.get(buttonId);
        if (c == null || c.presses < 2) {
            return List.of();
        }
        close(c, CallState.CANCELLED, null, now);
        ObjectNode data = base(c);
        data.put("waitedMs", ms(c.raisedAt, now));
        data.put("presses", c.presses);
        if (c.owner != null) {
            data.put("owner", c.owner);
        }
        return List.of(new AssistEffect.ShowLamp(buttonId, LampPattern.OFF),
                new AssistEffect.PlayBuzzer(buttonId, BeepPattern.ONE),
                new AssistEffect.Publish(CANCELLED, data));
    }

    /** Staff member {@code staffId} acknowledges call {@code callId}: the first one owns it. */
    public CallOutcome acknowledge(String callId, String staffId, Instant now) {
        Objects.requireNonNull(now, "now");
        Optional<CallOutcome> refused = refuseUnknown(callId, staffId);
        if (refused.isPresent()) {
            return refused.get();
        }
        Call c = openById.get(callId);
        if (c.state == CallState.ACKNOWLEDGED) {
            if (c.owner.equals(staffId)) {
                return new CallOutcome(CallCommandResult.ok(callId, c.owner, c.state,
                        "you acknowledged this call already"), List.of());
            }
            return new CallOutcome(CallCommandResult.fail(Code.ALREADY_OWNED, callId, c.owner, c.state,
                    c.owner + " acknowledged this call first and owns it"), List.of());
        }
        c.state = CallState.ACKNOWLEDGED;
        c.owner = staffId;
        c.acknowledgedAt = now;
        ObjectNode data = base(c);
        data.put("staffId", staffId);
        data.put("responseMs", ms(c.raisedAt, now));
        data.put("level", c.level.wireName());
        data.put("presses", c.presses);
        String button = c.button.id();
        return new CallOutcome(CallCommandResult.ok(callId, staffId, c.state, "the call is yours"),
                List.of(new AssistEffect.ShowLamp(button, LampPattern.ON),
                        new AssistEffect.PlayBuzzer(button, BeepPattern.TWO),
                        new AssistEffect.Publish(ACKNOWLEDGED, data)));
    }

    /** Staff member {@code staffId} resolves call {@code callId}: only its owner or a supervisor may. */
    public CallOutcome resolve(String callId, String staffId, Instant now) {
        Objects.requireNonNull(now, "now");
        Optional<CallOutcome> refused = refuseUnknown(callId, staffId);
        if (refused.isPresent()) {
            return refused.get();
        }
        Call c = openById.get(callId);
        boolean supervisor = config.isSupervisor(staffId);
        if (!supervisor && !staffId.equals(c.owner)) {
            String message = c.owner == null
                    ? "nobody owns this call yet: acknowledge it first"
                    : "only " + c.owner + ", who owns this call, or a supervisor may resolve it";
            return new CallOutcome(CallCommandResult.fail(Code.NOT_OWNER, callId, c.owner, c.state, message),
                    List.of());
        }
        close(c, CallState.RESOLVED, staffId, now);
        ObjectNode data = base(c);
        data.put("staffId", staffId);
        if (c.owner != null) {
            data.put("owner", c.owner);
            data.put("responseMs", ms(c.raisedAt, c.acknowledgedAt));
            data.put("handlingMs", ms(c.acknowledgedAt, now));
        }
        data.put("totalMs", ms(c.raisedAt, now));
        data.put("bySupervisor", !staffId.equals(c.owner));
        data.put("level", c.level.wireName());
        data.put("presses", c.presses);
        String button = c.button.id();
        return new CallOutcome(CallCommandResult.ok(callId, c.owner, c.state, "the call is resolved"),
                List.of(new AssistEffect.ShowLamp(button, LampPattern.OFF),
                        new AssistEffect.PlayBuzzer(button, BeepPattern.OFF),
                        new AssistEffect.Publish(RESOLVED, data)));
    }

    /** Time has come to {@code now}: escalates every unacknowledged call that is due. */
    public List<AssistEffect> tick(Instant now) {
        Objects.requireNonNull(now, "now");
        List<AssistEffect> effects = new ArrayList<>();
        for (Call c : openById.values()) {
            if (c.state != CallState.WAITING) {
                continue;
            }
            if (c.level == EscalationLevel.A && !now.isBefore(c.raisedAt.plus(config.timing().escalateToB()))) {
                c.level = EscalationLevel.B;
                effects.add(new AssistEffect.ShowLamp(c.button.id(), LampPattern.FAST));
                effects.add(new AssistEffect.PlayBuzzer(c.button.id(), BeepPattern.ALERT));
                effects.add(escalated(c, post(c).bStaff(), now));
            }
            if (c.level == EscalationLevel.B
                    && !now.isBefore(c.raisedAt.plus(config.timing().escalateToSupervisor()))) {
                c.level = EscalationLevel.SUPERVISOR;
                effects.add(escalated(c, config.supervisors(), now));
            }
        }
        // lamp and buzzer before any event, across calls too
        effects.sort(Comparator.comparingInt(e -> e instanceof AssistEffect.Publish ? 1 : 0));
        return effects;
    }

    /** When {@link #tick} next has something to do, if ever. */
    public Optional<Instant> nextDeadline() {
        Instant next = null;
        for (Call c : openById.values()) {
            if (c.state != CallState.WAITING) {
                continue;
            }
            Instant due = switch (c.level) {
                case A -> c.raisedAt.plus(config.timing().escalateToB());
                case B -> c.raisedAt.plus(config.timing().escalateToSupervisor());
                case SUPERVISOR -> null;
            };
            if (due != null && (next == null || due.isBefore(next))) {
                next = due;
            }
        }
        return Optional.ofNullable(next);
    }

    /** The open calls, oldest first. */
    public List<CallSnapshot> openCalls() {
        return openById.values().stream().map(Call::snapshot).toList();
    }

    /** A call, open or recently closed. */
    public Optional<CallSnapshot> call(String callId) {
        Call c = openById.get(callId);
        if (c == null) {
            c = closed.get(callId);
        }
        return Optional.ofNullable(c).map(Call::snapshot);
    }

    private Optional<CallOutcome> refuseUnknown(String callId, String staffId) {
        if (staffId == null || !AssistConfig.ID.matcher(staffId).matches()) {
            return Optional.of(new CallOutcome(CallCommandResult.fail(Code.INVALID, callId, null, null,
                    "staffId must match " + AssistConfig.ID.pattern() + ", is " + staffId), List.of()));
        }
        if (callId == null || !openById.containsKey(callId)) {
            Call done = callId == null ? null : closed.get(callId);
            if (done != null) {
                return Optional.of(new CallOutcome(CallCommandResult.fail(Code.ALREADY_CLOSED, callId, done.owner,
                        done.state, "the call is " + done.state.name().toLowerCase() + " already"), List.of()));
            }
            return Optional.of(new CallOutcome(CallCommandResult.fail(Code.UNKNOWN_CALL, callId, null, null,
                    "no call " + callId), List.of()));
        }
        return Optional.empty();
    }

    private void close(Call c, CallState state, String by, Instant now) {
        c.state = state;
        c.closedAt = now;
        c.closedBy = by;
        openById.remove(c.id);
        openByButton.remove(c.button.id());
        closed.put(c.id, c);
    }

    private AssistEffect.Publish escalated(Call c, List<String> staff, Instant now) {
        ObjectNode data = base(c);
        data.put("level", c.level.wireName());
        data.set("staff", staff(staff));
        data.put("waitedMs", ms(c.raisedAt, now));
        data.put("presses", c.presses);
        return new AssistEffect.Publish(ESCALATED, data);
    }

    private ButtonConfig knownButton(String buttonId) {
        ButtonConfig b = config.button(buttonId);
        if (b == null) {
            throw new IllegalArgumentException("no call button " + buttonId + " in the assist config");
        }
        return b;
    }

    private AssistConfig.Post post(Call c) {
        return config.posts().get(c.button.post());
    }

    private static ObjectNode base(Call c) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("callId", c.id);
        ObjectNode button = data.putObject("button");
        button.put("id", c.button.id());
        button.put("location", c.button.location());
        data.put("post", c.button.post());
        return data;
    }

    private static ArrayNode staff(List<String> ids) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        ids.forEach(a::add);
        return a;
    }

    private static long ms(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }

    private static final class Call {
        final String id;
        final ButtonConfig button;
        final Instant raisedAt;
        CallState state = CallState.WAITING;
        EscalationLevel level = EscalationLevel.A;
        String owner;
        Instant acknowledgedAt;
        Instant closedAt;
        String closedBy;
        int presses = 1;
        Instant lastReport;

        Call(String id, ButtonConfig button, Instant raisedAt) {
            this.id = Objects.requireNonNull(id, "call id");
            this.button = button;
            this.raisedAt = raisedAt;
            this.lastReport = raisedAt;
        }

        CallSnapshot snapshot() {
            return new CallSnapshot(id, button.id(), button.location(), button.post(), state, level, raisedAt,
                    owner, acknowledgedAt, presses);
        }
    }
}
