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

    /**
     * The same command again, after the terminal stopped while carrying it out: its effect may or
     * may not have happened, and must not happen twice. Find out and answer (or carry it out if
     * it did not happen). The default runs {@link #handle} again: right for commands whose second
     * run changes nothing more than the first ({@code rebirth}, {@code diagnose}, {@code log-level},
     * and those that refuse a second effect on their own).
     */
    default CommandResult recover(CommandRequest request) {
        return handle(request);
    }
}
