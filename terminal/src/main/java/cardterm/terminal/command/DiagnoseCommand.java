package cardterm.terminal.command;

import cardterm.devices.check.Problems;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Supplier;

/**
 * The hub's {@code diagnose} command: runs the running terminal's self-test and answers with every
 * check ({@code {"passed","failed","checks":[{"check","passed","detail","hint"}]}}). The reply is
 * ok whenever the self-test ran; whether the terminal passed is in the result.
 */
public final class DiagnoseCommand implements CommandHandler {
    public static final String NAME = "diagnose";

    private final Supplier<ObjectNode> selfTest;

    /** @param selfTest runs the self-test and gives its report */
    public DiagnoseCommand(Supplier<ObjectNode> selfTest) {
        this.selfTest = selfTest;
    }

    @Override
    public CommandResult handle(CommandRequest request) {
        Problems p = new Problems();
        request.args().fieldNames().forEachRemaining(f -> p.add("args." + f, "unknown field (diagnose takes {})"));
        if (!p.isEmpty()) {
            return CommandResult.invalid(p);
        }
        return CommandResult.ok(selfTest.get());
    }
}
