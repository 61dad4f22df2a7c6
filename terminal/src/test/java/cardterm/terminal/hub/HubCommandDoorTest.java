package cardterm.terminal.hub;

import cardterm.terminal.command.CommandDispatcher;
import cardterm.terminal.command.CommandRegistry;
import cardterm.terminal.command.CommandResult;
import cardterm.terminal.command.LogLevelCommand;
import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.event.HubTime;
import static org.assertj.core.api.Assertions.assertThat;

import cardterm.devices.check.Problems;
import cardterm.terminal.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HubCommandDoorTest {
    static final byte[] KEY = CommandVerifierTest.KEY;
    final TestClock clock = TestClock.shanghai();
    final List<EventEnvelope> events = new ArrayList<>();
    final EventSink sink = (type, data) -> {
        EventEnvelope e = new EventEnvelope("id-" + events.size(), events.size() + 1, OffsetDateTime.now(clock), type,
                "t-0042", "s", data);
        events.add(e);
        return e;
    };
    final CommandRegistry registry = new CommandRegistry();
    final HubCommandDoor dispatcher = door(registry, sink);
    final AtomicInteger acks = new AtomicInteger();

    HubCommandDoor door(CommandRegistry r, EventSink s) {
        return new HubCommandDoor(new CommandVerifier("t-0042", KEY, clock), new CommandDispatcher(r, s));
    }

    byte[] command(String id, String name, String args) {
        return CommandVerifier.sign(KEY, "{\"requestId\":\"" + id + "\",\"issuedAt\":\"" + HubTime.format(
                HubTime.now(clock)) + "\",\"terminal\":\"t-0042\",\"name\":\"" + name + "\",\"args\":" + args + "}");
    }

    HubCommandDoorTest() {
        registry.register("call-ack", request -> {
            Problems p = new Problems();
            if (!request.args().has("callId")) {
                p.add("args.callId", "required");
            }
            if (!request.args().has("staffId")) {
                p.add("args.staffId", "required");
            }
            if (!p.isEmpty()) {
                return CommandResult.invalid(p);
            }
            if (acks.incrementAndGet() > 1) {
                return CommandResult.failed("ALREADY_OWNED", "owned by S1", "S1");
            }
            ObjectNode r = Rig.JSON.createObjectNode().put("owner", request.args().get("staffId").asText());
            return CommandResult.ok(r);
        });
        registry.register("diagnose", request -> {
            throw new IllegalStateException("boom");
        });
    }

    @Test
    void runsTheHandlerAndAnswersWithItsResult() {
        ObjectNode reply = dispatcher.handle("call-ack", command("r-1", "call-ack",
                "{\"callId\":\"C-1\",\"staffId\":\"S1\"}"));
        assertThat(reply.toString()).isEqualTo("{\"requestId\":\"r-1\",\"ok\":true,\"result\":{\"owner\":\"S1\"}}");
        assertThat(events).extracting(EventEnvelope::type).containsExactly("audit.command.executed");
        assertThat(events.get(0).data().get("ok").asBoolean()).isTrue();

        ObjectNode second = dispatcher.handle("call-ack", command("r-2", "call-ack",
                "{\"callId\":\"C-1\",\"staffId\":\"S2\"}"));
        assertThat(second.at("/error/code").asText()).isEqualTo("ALREADY_OWNED");
        assertThat(second.at("/error/owner").asText()).isEqualTo("S1");
        assertThat(events.get(1).data().get("staffId").asText()).isEqualTo("S2");
        assertThat(events.get(1).data().get("callId").asText()).isEqualTo("C-1");
        assertThat(second.get("ok").asBoolean()).isFalse();
        assertThat(events.get(1).data().get("code").asText()).isEqualTo("ALREADY_OWNED");
    }

    @Test
    void invalidArgsAreARefusalWithEveryProblemAndNoEffect() {
        ObjectNode reply = dispatcher.handle("call-ack", command("r-1", "call-ack", "{}"));
        assertThat(reply.get("ok").asBoolean()).isFalse();
        assertThat(reply.at("/error/code").asText()).isEqualTo("INVALID");
        assertThat(reply.at("/error/problems")).hasSize(2);
        assertThat(acks.get()).isZero();
        assertThat(events).extracting(EventEnvelope::type).containsExactly("audit.command.refused");
        JsonNode data = events.get(0).data();
        assertThat(data.get("code").asText()).isEqualTo("INVALID");
        assertThat(data.get("problems")).hasSize(2);
        assertThat(reply.at("/error/problems/0/field").asText()).isIn("args.callId", "args.staffId");
        assertThat(data.at("/problems/0/message").asText()).isEqualTo("required");
        assertThat(data.get("reason").asText()).isEqualTo("invalid args");
    }

    @Test
    void unknownNamesAreInvalidAndRefusalsAreAudited() {
        ObjectNode reply = dispatcher.handle("printer-test", command("r-1", "printer-test", "{}"));
        assertThat(reply.at("/error/code").asText()).isEqualTo("INVALID");
        assertThat(reply.at("/error/problems/0/field").asText()).isEqualTo("name");
        assertThat(reply.at("/error/problems/0/message").asText()).contains("no command printer-test");

        ObjectNode unsigned = dispatcher.handle("call-ack", "{\"body\":\"{}\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(unsigned.get("requestId").isNull()).isTrue();
        assertThat(unsigned.at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(events).extracting(EventEnvelope::type).containsOnly("audit.command.refused").hasSize(2);
    }

    @Test
    void aFailingHandlerGivesAnInternalErrorNotAnException() {
        ObjectNode reply = dispatcher.handle("diagnose", command("r-1", "diagnose", "{}"));
        assertThat(reply.at("/error/code").asText()).isEqualTo("INTERNAL");
        assertThat(reply.at("/error/message").asText()).doesNotContain("boom");
    }

    @Test
    void theReplyIsStillSentWhenTheAuditEventCannotBeStored() {
        HubCommandDoor d = door(registry, (type, data) -> {
                    throw new IllegalStateException("disk full");
                });
        ObjectNode reply = d.handle("call-ack", command("r-1", "call-ack", "{}"));
        assertThat(reply.at("/error/code").asText()).isEqualTo("INVALID");
    }

    @Test
    void logLevelChecksItsArgs() {
        CommandRegistry r = new CommandRegistry().register(LogLevelCommand.NAME, new LogLevelCommand());
        HubCommandDoor d = door(r, sink);
        ObjectNode reply = d.handle("log-level", command("r-1", "log-level",
                "{\"logger\":\"\",\"level\":\"LOUD\",\"extra\":1}"));
        assertThat(reply.at("/error/code").asText()).isEqualTo("INVALID");
        assertThat(reply.at("/error/problems")).hasSize(3);
        ObjectNode ok = d.handle("log-level", command("r-2", "log-level",
                "{\"logger\":\"ROOT\",\"level\":\"INFO\"}"));
        assertThat(ok.at("/result/level").asText()).isEqualTo("INFO");
    }
}
