package cardterm.terminal.command;

import cardterm.devices.check.Problems;
import cardterm.terminal.issuance.IssuanceService;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/** {@code cancel}: a queued job is dropped, a running one stops at its next safe point. */
public final class CancelCommand implements CommandHandler {
    public static final String NAME = "cancel";

    private final IssuanceService issuance;

    public CancelCommand(IssuanceService issuance) {
        this.issuance = Objects.requireNonNull(issuance, "issuance");
    }

    @Override
    public CommandResult handle(CommandRequest r) {
        Problems p = new Problems();
        String jobId = Args.text(r.args(), "jobId", p);
        if (!p.isEmpty()) {
            return CommandResult.invalid(p);
        }
        Optional<String> where = issuance.cancel(jobId, r.args().path("staffId").asText(null));
        if (where.isEmpty()) {
            return CommandResult.failed("UNKNOWN_JOB", "no job " + jobId + " is queued or running");
        }
        ObjectNode res = JsonNodeFactory.instance.objectNode();
        res.put("jobId", jobId);
        res.put("cancelled", where.get());
        return CommandResult.ok(res);
    }
}
