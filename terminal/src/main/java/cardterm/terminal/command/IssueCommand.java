package cardterm.terminal.command;

import cardterm.devices.check.Problems;
import cardterm.devices.printer.face.CardFaceDevice;
import cardterm.devices.printer.face.CardFaceRenderer;
import cardterm.terminal.issuance.IssuanceJob;
import cardterm.terminal.issuance.IssuanceJobParser;
import cardterm.terminal.issuance.IssuanceService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/** {@code issue}: checks the job (every problem at once) and queues it. */
public final class IssueCommand implements CommandHandler {
    public static final String NAME = "issue";

    private final IssuanceService issuance;
    private final CardFaceDevice cardFace;

    /** @param cardFace the face the job's text must be drawable on */
    public IssueCommand(IssuanceService issuance, CardFaceDevice cardFace) {
        this.issuance = Objects.requireNonNull(issuance, "issuance");
        this.cardFace = Objects.requireNonNull(cardFace, "cardFace");
    }

    /**
     * After a restart mid-command: the job was accepted if the terminal knows its id now (queued,
     * running or ended, even one that failed before a card was fed), and then it is not taken a
     * second time by the same request; otherwise it is taken now.
     */
    @Override
    public CommandResult recover(CommandRequest r) {
        String jobId = r.args().path("jobId").asText("");
        if (!jobId.isEmpty() && issuance.knows(jobId)) {
            ObjectNode res = JsonNodeFactory.instance.objectNode();
            res.put("jobId", jobId);
            res.put("accepted", true);
            res.put("queued", issuance.queued());
            return CommandResult.ok(res);
        }
        return handle(r);
    }

    @Override
    public CommandResult handle(CommandRequest r) {
        Problems p = new Problems();
        Optional<IssuanceJob> job = IssuanceJobParser.parse(r.args(), p);
        if (job.isEmpty()) {
            // one answer: a name the chip refuses is checked against the card font too
            JsonNode name = r.args().path("citizen").path("name");
            if (name.isTextual()) {
                cardFace.renderer().ifPresent(f -> p.addAll(f.checkText(CardFaceRenderer.FIELD_NAME,
                        name.asText().strip())));
            }
            return CommandResult.invalid(p);
        }
        Optional<IssuanceService.Refusal> refused = issuance.submit(job.get());
        if (refused.isPresent()) {
            IssuanceService.Refusal f = refused.get();
            return f.code().equals(ReplyCode.INVALID) ? CommandResult.invalid(f.problems())
                    : CommandResult.failed(f.code(), f.message());
        }
        ObjectNode res = JsonNodeFactory.instance.objectNode();
        res.put("jobId", job.get().jobId());
        res.put("accepted", true);
        res.put("queued", issuance.queued());
        return CommandResult.ok(res);
    }
}
