package cardterm.terminal.command;

import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.event.EventEnvelope;
import cardterm.terminal.event.EventSink;
import cardterm.terminal.staff.PinHash;
import cardterm.terminal.staff.Role;
import cardterm.terminal.staff.StaffMember;
import cardterm.terminal.staff.StaffRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Only registered staff act, through either door; the audit events name the door. */
class CommandDispatcherStaffTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final List<EventEnvelope> events = new ArrayList<>();
    final EventSink sink = (type, data) -> {
        EventEnvelope e = new EventEnvelope("id-" + events.size(), events.size() + 1,
                OffsetDateTime.now(ZoneOffset.ofHours(8)), type, "t-0042", "s", data);
        events.add(e);
        return e;
    };
    final AtomicInteger runs = new AtomicInteger();
    final CommandRegistry registry = new CommandRegistry();
    final StaffRegistry staff = StaffRegistry.of(List.of(
            new StaffMember("S1001", "x", Role.STAFF, "A", PinHash.hash("1234".toCharArray())),
            new StaffMember("T0001", "y", Role.TECHNICIAN, null, PinHash.hash("1234".toCharArray()))));
    final CommandDispatcher dispatcher = new CommandDispatcher(registry, sink, staff);

    CommandDispatcherStaffTest() {
        for (String name : List.of("call-ack", "call-resolve", "issue", "printer-test")) {
            registry.register(name, r -> {
                runs.incrementAndGet();
                return CommandResult.ok(JSON.createObjectNode());
            });
        }
    }

    CommandRequest request(String name, String args, String door, String actor) throws Exception {
        return new CommandRequest("r-" + events.size(), Instant.now(), name, (ObjectNode) JSON.readTree(args), door, actor);
    }

    @Test
    void anUnknownStaffIdIsRefusedNamingItThroughEitherDoorAndNothingRuns() throws Exception {
        for (String name : List.of("call-ack", "call-resolve", "issue")) {
            for (String door : List.of(CommandRequest.HUB, CommandRequest.CONSOLE)) {
                ObjectNode reply = dispatcher.dispatch(request(name, "{\"callId\":\"C-1\",\"staffId\":\"S7777\"}", door,
                        door.equals(CommandRequest.CONSOLE) ? "S1001" : null));
                assertThat(reply.at("/error/code").asText()).isEqualTo("INVALID");
                assertThat(reply.at("/error/problems/0/field").asText()).isEqualTo("staffId");
                assertThat(reply.at("/error/problems/0/message").asText()).contains("S7777");
                EventEnvelope e = events.get(events.size() - 1);
                assertThat(e.type()).isEqualTo(CommandDispatcher.AUDIT_REFUSED);
                assertThat(e.data().get("door").asText()).isEqualTo(door);
                assertThat(e.data().get("staffId").asText()).isEqualTo("S7777");
            }
        }
        assertThat(runs).hasValue(0);
    }

    @Test
    void aKnownStaffIdRunsAndTheAuditEventNamesDoorAndStaff() throws Exception {
        ObjectNode reply = dispatcher.dispatch(request("call-ack", "{\"callId\":\"C-1\",\"staffId\":\"S1001\"}",
                CommandRequest.HUB, null));
        assertThat(reply.get("ok").asBoolean()).isTrue();
        assertThat(events.get(0).data().get("door").asText()).isEqualTo("hub");

        dispatcher.dispatch(request("printer-test", "{}", CommandRequest.CONSOLE, "T0001"));
        EventEnvelope e = events.get(1);
        assertThat(e.type()).isEqualTo(CommandDispatcher.AUDIT_EXECUTED);
        assertThat(e.data().get("door").asText()).isEqualTo("console");
        assertThat(e.data().get("staffId").asText()).isEqualTo("T0001");
        assertThat(runs).hasValue(2);
    }

    @Test
    void theOldConstructorIsTheHubDoor() throws Exception {
        CommandRequest r = new CommandRequest("r", Instant.now(), "issue", JSON.createObjectNode());
        assertThat(r.door()).isEqualTo("hub");
        assertThat(r.actor()).isNull();
    }
}
