package cardterm.terminal.assist;

import static cardterm.terminal.assist.CallStateMachine.ACKNOWLEDGED;
import static cardterm.terminal.assist.CallStateMachine.CANCELLED;
import static cardterm.terminal.assist.CallStateMachine.ESCALATED;
import static cardterm.terminal.assist.CallStateMachine.RAISED;
import static cardterm.terminal.assist.CallStateMachine.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cardterm.devices.gpio.ActiveLevel;
import cardterm.devices.gpio.ButtonSettings;
import cardterm.devices.gpio.GpioBoard;
import cardterm.devices.testing.ManualClock;
import cardterm.devices.testing.ManualScheduler;
import cardterm.devices.gpio.MockPins;
import cardterm.devices.health.DeviceState;
import cardterm.devices.health.HealthReason;
import cardterm.devices.health.MonitoredDevice;
import cardterm.terminal.assist.CallCommandResult.Code;
import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventSink;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The assist service on a Pi4J mock board, with a driven clock and scheduler (buttons, lamp and
 * buzzer patterns, escalation timers) and the real publisher thread into an in-memory sink.
 */
class AssistServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManualClock clock = ManualClock.at("2026-11-26T02:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final GpioBoard board = GpioBoard.mock(scheduler, clock);
    private final MockPins pins = board.mockPins();
    private final RecordingEventSink sink = new RecordingEventSink();
    private AssistService service;

    private AssistService start(AssistConfig config, EventSink eventSink) {
        service = AssistService.onBoard(config, board, eventSink, scheduler, clock);
        service.start();
        return service;
    }

    private AssistService start() {
        return start(AssistFixtures.config(), sink);
    }

    @AfterEach
    void close() {
        sink.release();
        if (service != null) {
            service.close();
        }
        board.close();
    }

    private void awaitTypes(String... types) {
        await().atMost(WAIT).until(() -> sink.types().size() >= types.length);
        assertThat(sink.types()).containsExactly(types);
    }

    private String openCallId() {
        assertThat(service.openCalls()).hasSize(1);
        return service.openCalls().get(0).callId();
    }

    @Test
    void pressAnswersOnLampAndBuzzerBeforeTheEventIsStored() {
        start();
        sink.hold();
        pins.press("call-1");
        assertThat(pins.isOn("call-1.lamp")).as("lamp lit when press() returns").isTrue();
        assertThat(pins.isOn("call-1.buzzer")).as("buzzer sounding when press() returns").isTrue();
        pins.release("call-1");
        await().atMost(WAIT).until(() -> sink.blockedCalls() == 1);
        assertThat(sink.events()).isEmpty();

        sink.release();
        awaitTypes(RAISED);
        ObjectNode data = sink.last(RAISED).data();
        assertThat(data.get("callId").asText()).isEqualTo(openCallId());
        assertThat(data.get("button").get("id").asText()).isEqualTo("call-1");
        assertThat(data.get("button").get("location").asText()).isEqualTo(AssistFixtures.LOCATION_1);
        assertThat(data.get("staff")).extracting(n -> n.asText()).containsExactly("S1001", "S1002");

        long before = pins.changes("call-1.lamp");
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(pins.changes("call-1.lamp") - before).as("blinking slowly").isEqualTo(10);
    }

    @Test
    void withTheSinkStuckLampsBuzzersAndEscalationGoOnAndEventsFollowInOrder() {
        start();
        sink.hold();
        pins.press("call-1");
        pins.release("call-1");
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(service.openCalls()).singleElement()
                .extracting(CallSnapshot::level).isEqualTo(EscalationLevel.B);
        long lamp = pins.changes("call-1.lamp");
        long buzzer = pins.changes("call-1.buzzer");
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(pins.changes("call-1.lamp") - lamp).as("fast blink").isEqualTo(16);
        assertThat(pins.changes("call-1.buzzer") - buzzer).as("alert: three beeps per 2 s").isEqualTo(6);
        scheduler.advance(Duration.ofSeconds(58));
        assertThat(service.openCalls()).singleElement()
                .extracting(CallSnapshot::level).isEqualTo(EscalationLevel.SUPERVISOR);
        assertThat(sink.events()).isEmpty();
        await().atMost(WAIT).until(() -> service.eventsWaiting() == 2);

        sink.release();
        awaitTypes(RAISED, ESCALATED, ESCALATED);
        List<EventEnvelope> events = sink.events();
        assertThat(events).extracting(EventEnvelope::seq).containsExactly(1L, 2L, 3L);
        assertThat(events.get(1).data().get("level").asText()).isEqualTo("B");
        assertThat(events.get(1).data().get("staff").get(0).asText()).isEqualTo("S2001");
        assertThat(events.get(1).data().get("waitedMs").asLong()).isEqualTo(60_000);
        assertThat(events.get(2).data().get("level").asText()).isEqualTo("supervisor");
        assertThat(events.get(2).data().get("staff").get(0).asText()).isEqualTo("SUP1");
        assertThat(events.get(2).data().get("waitedMs").asLong()).isEqualTo(120_000);
        assertThat(service.eventsPublished()).isEqualTo(3);
    }

    @Test
    void acknowledgeHoldsTheLampSteadyAndBeepsTwiceThenOnlyTheOwnerResolves() {
        start();
        pins.press("call-1");
        pins.release("call-1");
        scheduler.advance(Duration.ofSeconds(20));
        String callId = openCallId();

        long beeps = pins.changes("call-1.buzzer");
        CallCommandResult ack = service.ack(callId, "S1001");
        assertThat(ack.ok()).isTrue();
        assertThat(pins.isOn("call-1.lamp")).isTrue();
        long lamp = pins.changes("call-1.lamp");
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(pins.changes("call-1.lamp")).as("steady").isEqualTo(lamp);
        assertThat(pins.isOn("call-1.lamp")).isTrue();
        assertThat(pins.changes("call-1.buzzer") - beeps).as("two beeps: on off on off").isEqualTo(4);

        CallCommandResult second = service.ack(callId, "S1002");
        assertThat(second.code()).isEqualTo(Code.ALREADY_OWNED);
        assertThat(second.owner()).isEqualTo("S1001");
        assertThat(service.resolve(callId, "S1002").code()).isEqualTo(Code.NOT_OWNER);

        scheduler.advance(Duration.ofSeconds(100));
        assertThat(service.openCalls()).singleElement()
                .extracting(CallSnapshot::level).as("no escalation once owned").isEqualTo(EscalationLevel.A);

        CallCommandResult resolved = service.resolve(callId, "S1001");
        assertThat(resolved.ok()).isTrue();
        assertThat(pins.isOn("call-1.lamp")).isFalse();
        assertThat(service.openCalls()).isEmpty();
        assertThat(service.resolve(callId, "S1001").code()).isEqualTo(Code.ALREADY_CLOSED);
        assertThat(service.ack("no-such-call", "S1001").code()).isEqualTo(Code.UNKNOWN_CALL);

        awaitTypes(RAISED, ACKNOWLEDGED, RESOLVED);
        assertThat(sink.last(ACKNOWLEDGED).data().get("staffId").asText()).isEqualTo("S1001");
        assertThat(sink.last(ACKNOWLEDGED).data().get("responseMs").asLong()).isEqualTo(20_000);
        ObjectNode done = sink.last(RESOLVED).data();
        assertThat(done.get("staffId").asText()).isEqualTo("S1001");
        assertThat(done.get("handlingMs").asLong()).isEqualTo(105_000);
        assertThat(done.get("totalMs").asLong()).isEqualTo(125_000);
    }

    @Test
    void holdingTheRaisingPressKeepsTheCallButPressingAgainAndHoldingCancelsIt() {
        start();
        pins.press("call-1");
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(service.openCalls()).as("the caller held the first press: the call stands").hasSize(1);
        pins.release("call-1");
        scheduler.advance(Duration.ofSeconds(1));

        pins.press("call-1");
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(service.openCalls()).isEmpty();
        assertThat(pins.isOn("call-1.lamp")).isFalse();
        pins.release("call-1");
        scheduler.advance(Duration.ofSeconds(1));
        awaitTypes(RAISED, CallStateMachine.REMINDED, CANCELLED);
        assertThat(sink.last(CANCELLED).data().get("waitedMs").asLong()).isEqualTo(8_000);
        assertThat(sink.last(CANCELLED).data().get("callId")).isEqualTo(sink.last(RAISED).data().get("callId"));
    }

    @Test
    void concurrentAcknowledgementsHaveExactlyOneOwner() throws Exception {
        start();
        pins.press("call-1");
        String callId = openCallId();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CallCommandResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String staff = "S" + (3000 + i);
                Callable<CallCommandResult> ack = () -> {
                    go.await();
                    return service.ack(callId, staff);
                };
                futures.add(pool.submit(ack));
            }
            go.countDown();
            List<CallCommandResult> results = new ArrayList<>();
            for (Future<CallCommandResult> f : futures) {
                results.add(f.get());
            }
            List<CallCommandResult> won = results.stream().filter(CallCommandResult::ok).toList();
            assertThat(won).hasSize(1);
            String owner = won.get(0).owner();
            assertThat(results).filteredOn(r -> !r.ok()).hasSize(n - 1).allSatisfy(r -> {
                assertThat(r.code()).isEqualTo(Code.ALREADY_OWNED);
                assertThat(r.owner()).isEqualTo(owner);
            });
            assertThat(service.openCalls().get(0).owner()).isEqualTo(owner);
        } finally {
            pool.shutdownNow();
        }
        awaitTypes(RAISED, ACKNOWLEDGED);
    }

    @Test
    void aHundredPressesASecondOnTheMockPinAreOneCall() {
        // a debounce short enough that every one of the 100 presses gets through the button
        start(AssistFixtures.config(AssistFixtures.debounce(Duration.ofMillis(2))), sink);
        for (int i = 0; i < 100; i++) {
            pins.press("call-1");
            scheduler.advance(Duration.ofMillis(5));
            pins.release("call-1");
            scheduler.advance(Duration.ofMillis(5));
        }
        assertThat(service.openCalls()).singleElement().satisfies(c -> assertThat(c.presses()).isEqualTo(100));
        awaitTypes(RAISED);
        scheduler.advance(Duration.ofSeconds(5));
        pins.press("call-1");
        await().atMost(WAIT).until(() -> sink.types().size() == 2);
        assertThat(sink.types()).containsExactly(RAISED, CallStateMachine.REMINDED);
        assertThat(sink.last(CallStateMachine.REMINDED).data().get("presses").asInt()).isEqualTo(101);
    }

    @Test
    void aStuckButtonIsDegradedWhileTheOtherCallPointWorks() {
        start();
        pins.press("call-1");
        scheduler.advance(Duration.ofSeconds(30));
        MonitoredDevice button1 = service.devices().get(0);
        assertThat(button1.deviceId()).isEqualTo("call-1");
        assertThat(button1.health().reason()).isEqualTo(HealthReason.STUCK);

        pins.press("call-2");
        assertThat(pins.isOn("call-2.lamp")).isTrue();
        assertThat(service.openCalls()).extracting(CallSnapshot::buttonId).containsExactly("call-1", "call-2");

        pins.release("call-1");
        scheduler.advance(Duration.ofMillis(30));
        assertThat(button1.health().state()).isEqualTo(DeviceState.ONLINE);
    }

    @Test
    void aFailingSinkIsTriedAgainAndTheCallPointNeverWaits() {
        AtomicInteger failures = new AtomicInteger();
        EventSink flaky = (type, data) -> {
            if (failures.getAndIncrement() < 2) {
                throw new IllegalStateException("disk full (test)");
            }
            return sink.publish(type, data);
        };
        start(AssistFixtures.config(), flaky);
        pins.press("call-1");
        assertThat(pins.isOn("call-1.lamp")).isTrue();
        awaitTypes(RAISED);
        assertThat(failures.get()).isEqualTo(3);
        assertThat(service.eventsDropped()).isZero();
    }

    @Test
    void devicesAreListedForHealth() {
        start();
        assertThat(service.devices()).extracting(MonitoredDevice::deviceId).containsExactly(
                "call-1", "call-1.lamp", "call-1.buzzer", "call-2", "call-2.lamp", "call-2.buzzer");
        assertThat(service.devices()).allSatisfy(d -> assertThat(d.health().state()).isEqualTo(DeviceState.ONLINE));
    }

    @Test
    void stationsMustMatchTheConfiguredButtons() {
        AssistStation one = new AssistStation(board.button("call-1", 17, ButtonSettings.DEFAULT),
                board.lamp("call-1.lamp", 27, ActiveLevel.HIGH),
                board.buzzer("call-1.buzzer", 22, ActiveLevel.HIGH));
        assertThatThrownBy(() -> new AssistService(AssistFixtures.config(), List.of(one), sink, scheduler, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("button call-2 has no station");
    }
}
