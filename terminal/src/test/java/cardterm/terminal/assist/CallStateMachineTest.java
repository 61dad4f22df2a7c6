package cardterm.terminal.assist;

import static cardterm.terminal.assist.CallStateMachine.ACKNOWLEDGED;
import static cardterm.terminal.assist.CallStateMachine.CANCELLED;
import static cardterm.terminal.assist.CallStateMachine.ESCALATED;
import static cardterm.terminal.assist.CallStateMachine.RAISED;
import static cardterm.terminal.assist.CallStateMachine.REMINDED;
import static cardterm.terminal.assist.CallStateMachine.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cardterm.devices.gpio.BeepPattern;
import cardterm.devices.gpio.LampPattern;
import cardterm.terminal.assist.AssistEffect.PlayBuzzer;
import cardterm.terminal.assist.AssistEffect.Publish;
import cardterm.terminal.assist.AssistEffect.ShowLamp;
import cardterm.terminal.assist.CallCommandResult.Code;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every transition of the call state machine, with times given as ms after T0. */
class CallStateMachineTest {
    private static final Instant T0 = Instant.parse("2026-11-26T02:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger ids = new AtomicInteger();
    private final CallStateMachine m = new CallStateMachine(AssistFixtures.config(), () -> "C" + ids.incrementAndGet());

    private static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    private static List<Publish> events(List<AssistEffect> effects) {
        return norm(effects).stream().filter(Publish.class::isInstance).map(Publish.class::cast).toList();
    }

    /** Event data as it reads back from JSON (a long 5 and an int 5 are the same on the wire). */
    private static List<AssistEffect> norm(List<AssistEffect> effects) {
        return effects.stream().map(e -> e instanceof Publish p
                ? (AssistEffect) new Publish(p.type(), json(p.data().toString())) : e).toList();
    }

    private static ObjectNode only(List<AssistEffect> effects, String type) {
        List<Publish> p = events(effects);
        assertThat(p).extracting(Publish::type).containsExactly(type);
        return p.get(0).data();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String raise(String button, long ms) {
        return only(m.press(button, at(ms)), RAISED).get("callId").asText();
    }

    @Test
    void pressRaisesACallLampAndBuzzerFirstThenTheEventNamingPostAStaff() {
        List<AssistEffect> effects = m.press("call-1", at(0));
        assertThat(norm(effects)).containsExactly(
                new ShowLamp("call-1", LampPattern.SLOW),
                new PlayBuzzer("call-1", BeepPattern.ONE),
                new Publish(RAISED, json("""
                        {"callId":"C1","button":{"id":"call-1","location":"无障碍窗口 3号"},"post":"accessible",
                         "level":"A","staff":["S1001","S1002"]}""")));
        assertThat(m.openCalls()).singleElement().satisfies(c -> {
            assertThat(c.callId()).isEqualTo("C1");
            assertThat(c.state()).isEqualTo(CallState.WAITING);
            assertThat(c.level()).isEqualTo(EscalationLevel.A);
            assertThat(c.raisedAt()).isEqualTo(at(0));
        });
    }

    @Test
    void pressAgainWhileWaitingRemindsButRaisesNoNewCallAndEventsAreThrottled() {
        raise("call-1", 0);
        // within the reminder gap (5 s): a beep for the caller, no event
        assertThat(m.press("call-1", at(1_000))).containsExactly(new PlayBuzzer("call-1", BeepPattern.ONE));
        assertThat(m.press("call-1", at(2_000))).containsExactly(new PlayBuzzer("call-1", BeepPattern.ONE));
        // after it: the event, counting every press
        List<AssistEffect> effects = m.press("call-1", at(6_000));
        assertThat(effects.get(0)).isEqualTo(new PlayBuzzer("call-1", BeepPattern.ONE));
        assertThat(only(effects, REMINDED)).isEqualTo(json("""
                {"callId":"C1","button":{"id":"call-1","location":"无障碍窗口 3号"},"post":"accessible",
                 "state":"WAITING","presses":4,"waitedMs":6000}"""));
        assertThat(events(m.press("call-1", at(7_000)))).isEmpty();
        assertThat(m.openCalls()).hasSize(1);
    }

    @Test
    void aHundredPressesASecondAreOneCall() {
        List<Publish> all = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.addAll(events(m.press("call-1", at(i * 10L))));
        }
        assertThat(all).extracting(Publish::type).containsExactly(RAISED);
        assertThat(m.openCalls()).singleElement().satisfies(c -> assertThat(c.presses()).isEqualTo(100));
        assertThat(ids.get()).isEqualTo(1);
    }

    @Test
    void firstAcknowledgementOwnsTheCallLampSteadyBuzzerTwice() {
        String id = raise("call-1", 0);
        CallOutcome o = m.acknowledge(id, "S1002", at(12_345));
        assertThat(o.result()).isEqualTo(new CallCommandResult(true, Code.OK, id, "S1002", CallState.ACKNOWLEDGED,
                "the call is yours"));
        assertThat(norm(o.effects())).containsExactly(
                new ShowLamp("call-1", LampPattern.ON),
                new PlayBuzzer("call-1", BeepPattern.TWO),
                new Publish(ACKNOWLEDGED, json("""
                        {"callId":"C1","button":{"id":"call-1","location":"无障碍窗口 3号"},"post":"accessible",
                         "staffId":"S1002","responseMs":12345,"level":"A","presses":1}""")));
        assertThat(m.nextDeadline()).as("an acknowledged call does not escalate").isEmpty();
    }

    @Test
    void laterAcknowledgementByAnotherIsAlreadyOwnedNamingTheOwner() {
        String id = raise("call-1", 0);
        m.acknowledge(id, "S1001", at(1_000));
        CallOutcome o = m.acknowledge(id, "S2001", at(1_001));
        assertThat(o.result().ok()).isFalse();
        assertThat(o.result().code()).isEqualTo(Code.ALREADY_OWNED);
        assertThat(o.result().owner()).isEqualTo("S1001");
        assertThat(o.result().message()).contains("S1001");
        assertThat(o.effects()).isEmpty();
        assertThat(json(o.result().details().toString())).isEqualTo(json("""
                {"callId":"C1","state":"ACKNOWLEDGED","owner":"S1001"}"""));
    }

    @Test
    void theOwnerAcknowledgingAgainIsFineAndChangesNothing() {
        String id = raise("call-1", 0);
        m.acknowledge(id, "S1001", at(1_000));
        CallOutcome o = m.acknowledge(id, "S1001", at(2_000));
        assertThat(o.result().code()).isEqualTo(Code.OK);
        assertThat(o.result().owner()).isEqualTo("S1001");
        assertThat(o.effects()).isEmpty();
    }

    @Test
    void pressWhileAcknowledgedRemindsWithABeepAndTheLampStaysSteady() {
        String id = raise("call-1", 0);
        m.acknowledge(id, "S1001", at(1_000));
        List<AssistEffect> effects = m.press("call-1", at(10_000));
        assertThat(effects.get(0)).isEqualTo(new PlayBuzzer("call-1", BeepPattern.ONE));
        assertThat(only(effects, REMINDED).get("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(effects).noneMatch(ShowLamp.class::isInstance);
    }

    @Test
    void ownerResolvesLampOffWithTimings() {
        String id = raise("call-1", 0);
        m.acknowledge(id, "S1001", at(20_000));
        CallOutcome o = m.resolve(id, "S1001", at(200_000));
        assertThat(o.result()).isEqualTo(new CallCommandResult(true, Code.OK, id, "S1001", CallState.RESOLVED,
                "the call is resolved"));
        assertThat(norm(o.effects())).containsExactly(
                new ShowLamp("call-1", LampPattern.OFF),
                new PlayBuzzer("call-1", BeepPattern.OFF),
                new Publish(RESOLVED, json("""
                        {"callId":"C1","button":{"id":"call-1","location":"无障碍窗口 3号"},"post":"accessible",
                         "staffId":"S1001","owner":"S1001","responseMs":20000,"handlingMs":180000,"totalMs":200000,
                         "bySupervisor":false,"level":"A","presses":1}""")));
        assertThat(m.openCalls()).isEmpty();
        assertThat(m.call(id)).get().extracting(CallSnapshot::state).isEqualTo(CallState.RESOLVED);
    }

    @Test
    void resolveByANonOwnerIsRefusedNamingTheOwner() {
        String id = raise("call-1", 0);
        m.acknowledge(id, "S1001", at(1_000));
        CallOutcome o = m.resolve(id, "S1002", at(2_000));
        assertThat(o.result().code()).isEqualTo(Code.NOT_OWNER);
        assertThat(o.result().owner()).isEqualTo("S1001");
        assertThat(o.result().state()).isEqualTo(CallState.ACKNOWLEDGED);
        assertThat(o.effects()).isEmpty();
        assertThat(m.openCalls()).hasSize(1);
    }

    @Test
    void resolveOfAnUnacknowledgedCallByStaffIsRefusedWithNoOwner() {
        String id = raise("call-1", 0);
        CallOutcome o = m.resolve(id, "S1001", at(2_000));
        assertThat(o.result().code()).isEqualTo(Code.NOT_OWNER);
        assertThat(o.result().owner()).isNull();
        assertThat(o.result().message()).contains("acknowledge it first");
    }

    @Test
    void aSupervisorMayResolveAnyCallOwnedOrNot() {
        String waiting = raise("call-1", 0);
        CallOutcome o = m.resolve(waiting, "SUP1", at(5_000));
        assertThat(o.result().code()).isEqualTo(Code.OK);
        ObjectNode data = only(o.effects(), RESOLVED);
        assertThat(data.get("staffId").asText()).isEqualTo("SUP1");
        assertThat(data.get("bySupervisor").asBoolean()).isTrue();
        assertThat(data.has("owner")).isFalse();
        assertThat(data.get("totalMs").asLong()).isEqualTo(5_000);

        String owned = raise("call-2", 6_000);
        m.acknowledge(owned, "S1001", at(7_000));
        ObjectNode data2 = only(m.resolve(owned, "SUP1", at(9_000)).effects(), RESOLVED);
        assertThat(data2.get("owner").asText()).isEqualTo("S1001");
        assertThat(data2.get("bySupervisor").asBoolean()).isTrue();
    }

    @Test
    void commandsOnAClosedCallAreAlreadyClosed() {
        String id = raise("call-1", 0);
        m.acknowledge(id, "S1001", at(1_000));
        m.resolve(id, "S1001", at(2_000));
        CallCommandResult ack = m.acknowledge(id, "S1002", at(3_000)).result();
        assertThat(ack.code()).isEqualTo(Code.ALREADY_CLOSED);
        assertThat(ack.state()).isEqualTo(CallState.RESOLVED);
        assertThat(ack.owner()).isEqualTo("S1001");
        assertThat(m.resolve(id, "S1001", at(3_000)).result().code()).isEqualTo(Code.ALREADY_CLOSED);

        String cancelled = raise("call-1", 4_000);
        m.press("call-1", at(5_000));
        m.longPress("call-1", at(8_000));
        CallCommandResult late = m.acknowledge(cancelled, "S1001", at(8_000)).result();
        assertThat(late.code()).isEqualTo(Code.ALREADY_CLOSED);
        assertThat(late.state()).isEqualTo(CallState.CANCELLED);
        assertThat(late.message()).contains("cancelled");
    }

    @Test
    void unknownCallsAndBadStaffIdsGetTypedRefusals() {
        assertThat(m.acknowledge("C999", "S1001", at(0)).result().code()).isEqualTo(Code.UNKNOWN_CALL);
        assertThat(m.resolve("C999", "S1001", at(0)).result().code()).isEqualTo(Code.UNKNOWN_CALL);
        assertThat(m.acknowledge(null, "S1001", at(0)).result().code()).isEqualTo(Code.UNKNOWN_CALL);
        String id = raise("call-1", 0);
        assertThat(m.acknowledge(id, " ", at(1)).result().code()).isEqualTo(Code.INVALID);
        assertThat(m.resolve(id, null, at(1)).result().code()).isEqualTo(Code.INVALID);
        assertThat(m.openCalls()).singleElement().extracting(CallSnapshot::state).isEqualTo(CallState.WAITING);
        assertThatThrownBy(() -> m.press("call-9", at(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("call-9");
    }

    @Test
    void unacknowledgedCallEscalatesToBAfterTheWaitThenToSupervisorsAfterTwiceIt() {
        raise("call-1", 0);
        assertThat(m.nextDeadline()).contains(at(60_000));
        assertThat(m.tick(at(59_999))).isEmpty();

        List<AssistEffect> toB = m.tick(at(60_000));
        assertThat(norm(toB)).containsExactly(
                new ShowLamp("call-1", LampPattern.FAST),
                new PlayBuzzer("call-1", BeepPattern.ALERT),
                new Publish(ESCALATED, json("""
                        {"callId":"C1","button":{"id":"call-1","location":"无障碍窗口 3号"},"post":"accessible",
                         "level":"B","staff":["S2001"],"waitedMs":60000,"presses":1}""")));
        assertThat(m.tick(at(60_001))).isEmpty();
        assertThat(m.nextDeadline()).contains(at(120_000));

        List<AssistEffect> toSupervisor = m.tick(at(120_000));
        assertThat(norm(toSupervisor)).containsExactly(new Publish(ESCALATED, json("""
                {"callId":"C1","button":{"id":"call-1","location":"无障碍窗口 3号"},"post":"accessible",
                 "level":"supervisor","staff":["SUP1"],"waitedMs":120000,"presses":1}""")));
        assertThat(m.nextDeadline()).isEmpty();
        assertThat(m.tick(at(999_000))).isEmpty();
        assertThat(m.openCalls()).singleElement().extracting(CallSnapshot::level).isEqualTo(EscalationLevel.SUPERVISOR);
    }

    @Test
    void aLateTickEscalatesBothLevelsInOrderDevicesFirst() {
        raise("call-1", 0);
        raise("call-2", 1_000);
        List<AssistEffect> effects = m.tick(at(130_000));
        assertThat(effects.subList(0, 4)).allMatch(e -> !(e instanceof Publish));
        assertThat(events(effects)).extracting(p -> p.data().get("button").get("id").asText() + " "
                + p.data().get("level").asText())
                .containsExactly("call-1 B", "call-1 supervisor", "call-2 B", "call-2 supervisor");
    }

    @Test
    void pressWhileEscalatedLeavesTheAlertSounding() {
        raise("call-1", 0);
        m.tick(at(60_000));
        List<AssistEffect> effects = m.press("call-1", at(70_000));
        assertThat(effects).noneMatch(e -> e instanceof PlayBuzzer || e instanceof ShowLamp);
        assertThat(only(effects, REMINDED).get("presses").asInt()).isEqualTo(2);
    }

    @Test
    void acknowledgingAnEscalatedCallStopsEscalationAndSaysTheLevelReached() {
        String id = raise("call-1", 0);
        m.tick(at(60_000));
        CallOutcome o = m.acknowledge(id, "S2001", at(75_000));
        assertThat(only(o.effects(), ACKNOWLEDGED).get("level").asText()).isEqualTo("B");
        assertThat(o.effects()).contains(new ShowLamp("call-1", LampPattern.ON), new PlayBuzzer("call-1", BeepPattern.TWO));
        assertThat(m.nextDeadline()).isEmpty();
        assertThat(m.tick(at(500_000))).isEmpty();
    }

    @Test
    void holdingThePressThatRaisedTheCallDoesNotCancelIt() {
        raise("call-1", 0);
        assertThat(m.longPress("call-1", at(3_000))).isEmpty();
        assertThat(m.openCalls()).singleElement().extracting(CallSnapshot::state).isEqualTo(CallState.WAITING);
    }

    @Test
    void longPressOfALaterPressCancelsLampOffWithABeepAndTheNextPressIsANewCall() {
        String id = raise("call-1", 0);
        m.press("call-1", at(1_000));
        List<AssistEffect> effects = m.longPress("call-1", at(4_000));
        assertThat(norm(effects)).containsExactly(
                new ShowLamp("call-1", LampPattern.OFF),
                new PlayBuzzer("call-1", BeepPattern.ONE),
                new Publish(CANCELLED, json("""
                        {"callId":"C1","button":{"id":"call-1","location":"无障碍窗口 3号"},"post":"accessible",
                         "waitedMs":4000,"presses":2}""")));
        assertThat(m.openCalls()).isEmpty();
        assertThat(m.nextDeadline()).isEmpty();
        String next = raise("call-1", 10_000);
        assertThat(next).isNotEqualTo(id);
    }

    @Test
    void cancellingAnAcknowledgedCallTellsItsOwner() {
        String id = raise("call-1", 0);
        m.acknowledge(id, "S1001", at(1_000));
        m.press("call-1", at(2_000));
        ObjectNode data = only(m.longPress("call-1", at(5_000)), CANCELLED);
        assertThat(data.get("owner").asText()).isEqualTo("S1001");
    }

    @Test
    void longPressWithNoOpenCallDoesNothing() {
        assertThat(m.longPress("call-1", at(0))).isEmpty();
    }

    @Test
    void callsOnTwoButtonsAreIndependent() {
        String one = raise("call-1", 0);
        String two = raise("call-2", 30_000);
        assertThat(m.nextDeadline()).contains(at(60_000));
        assertThat(events(m.tick(at(60_000)))).extracting(p -> p.data().get("callId").asText()).containsExactly(one);
        m.acknowledge(two, "S1001", at(61_000));
        assertThat(m.nextDeadline()).contains(at(120_000));
        assertThat(m.openCalls()).extracting(CallSnapshot::callId).containsExactly(one, two);
    }

    @Test
    void closedCallsAreRememberedBoundedly() {
        String first = raise("call-1", 0);
        m.resolve(first, "SUP1", at(1));
        for (int i = 1; i <= CallStateMachine.CLOSED_REMEMBERED; i++) {
            String id = raise("call-1", 10L * i);
            m.resolve(id, "SUP1", at(10L * i + 1));
        }
        assertThat(m.acknowledge(first, "S1001", at(100_000)).result().code()).isEqualTo(Code.UNKNOWN_CALL);
        assertThat(m.acknowledge("C2", "S1001", at(100_000)).result().code()).isEqualTo(Code.ALREADY_CLOSED);
    }
}
