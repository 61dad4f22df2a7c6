package cardterm.terminal.command;

/**
 * Carries out one kind of command ({@code issue}, {@code cancel}, {@code rebirth}, ...), once its
 * signature, address and freshness were checked. Runs on the hub link's command thread, one
 * command at a time: answer quickly (queue long work and report it by events). Check the args and
 * answer {@link CommandResult#invalid} with every problem, before any effect.
 */
@FunctionalInterface
public interface CommandHandler {
    CommandResult handle(CommandRequest request);
}
