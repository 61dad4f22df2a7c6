package cardterm.terminal.command;

import cardterm.devices.check.Problems;
import cardterm.terminal.assist.AssistService;
import cardterm.terminal.assist.CallCommandResult;
import java.util.Objects;

/**
 * {@code call-ack} (the first staff member to acknowledge owns the call) and {@code call-resolve}
 * (only the owner, or a supervisor).
 */
public final class CallCommand implements CommandHandler {
    public static final String ACK = "call-ack";
    public static final String RESOLVE = "call-resolve";

    private final AssistService assist;
    private final boolean ack;

    private CallCommand(AssistService assist, boolean ack) {
        this.assist = Objects.requireNonNull(assist, "assist");
        this.ack = ack;
    }

    public static CallCommand ack(AssistService assist) {
        return new CallCommand(assist, true);
    }

    public static CallCommand resolve(AssistService assist) {
        return new CallCommand(assist, false);
    }

    @Override
    public CommandResult handle(CommandRequest r) {
        Problems p = new Problems();
        String callId = Args.text(r.args(), "callId", p);
        String staffId = Args.text(r.args(), "staffId", p);
        if (!p.isEmpty()) {
            return CommandResult.invalid(p);
        }
        CallCommandResult res = ack ? assist.ack(callId, staffId) : assist.resolve(callId, staffId);
        if (res.ok()) {
            return CommandResult.ok(res.details());
        }
        if (res.code() == CallCommandResult.Code.INVALID) {
            return CommandResult.invalid(new Problems().add("staffId", res.message()));
        }
        return CommandResult.failed(res.code().name(), res.message()
                + res.ownerIfAny().map(o -> " (owner " + o + ")").orElse(""), res.owner());
    }
}
