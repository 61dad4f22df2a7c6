package cardterm.terminal.command;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The commands this terminal knows, by name: features register theirs ({@code issue},
 * {@code call-ack}, ...); a command of no registered name is refused as {@code INVALID}.
 * Thread-safe.
 */
public final class CommandRegistry {
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private final ConcurrentHashMap<String, CommandHandler> handlers = new ConcurrentHashMap<>();

    /**
     * Registers the handler of {@code name}.
     *
     * @throws IllegalStateException if the name is taken
     */
    public CommandRegistry register(String name, CommandHandler handler) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("command name must match " + NAME.pattern() + ": " + name);
        }
        Objects.requireNonNull(handler, "handler");
        if (handlers.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("command " + name + " is registered already");
        }
        return this;
    }

    /** Registers the handler unless the name is taken; returns whether it did. */
    public boolean registerIfAbsent(String name, CommandHandler handler) {
        if (handlers.containsKey(name)) {
            return false;
        }
        try {
            register(name, handler);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    public void unregister(String name) {
        handlers.remove(name);
    }

    public Optional<CommandHandler> handler(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(handlers.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(handlers.keySet());
    }
}
