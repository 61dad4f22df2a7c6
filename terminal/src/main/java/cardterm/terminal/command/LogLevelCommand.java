package cardterm.terminal.command;

import cardterm.devices.check.Problems;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The {@code log-level} command: {@code {"logger","level"}} sets a Logback logger's level until
 * the terminal restarts. {@code logger} is a logger name ({@code ROOT} for the root); {@code level}
 * one of TRACE, DEBUG, INFO, WARN, ERROR, OFF. The result gives the level before and after.
 */
public final class LogLevelCommand implements CommandHandler {
    public static final String NAME = "log-level";
    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    private static final Pattern LOGGER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.-]{0,199}");
    private static final Set<String> FIELDS = Set.of("logger", "level");

    @Override
    public CommandResult handle(CommandRequest request) {
        ObjectNode args = request.args();
        Problems p = new Problems();
        String loggerName = null;
        JsonNode logger = args.get("logger");
        if (logger == null || !logger.isTextual() || !LOGGER.matcher(logger.asText()).matches()) {
            p.add("args.logger", "a logger name is required (ROOT, or e.g. cardterm.terminal.hub)");
        } else {
            loggerName = logger.asText();
        }
        String level = null;
        JsonNode levelNode = args.get("level");
        if (levelNode == null || !levelNode.isTextual()
                || !LEVELS.contains(levelNode.asText().toUpperCase(Locale.ROOT))) {
            p.add("args.level", "one of " + LEVELS + " is required");
        } else {
            level = levelNode.asText().toUpperCase(Locale.ROOT);
        }
        args.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                p.add("args." + f, "unknown field");
            }
        });
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return CommandResult.failed("UNSUPPORTED", "logging is not Logback here");
        }
        if (!p.isEmpty()) {
            return CommandResult.invalid(p);
        }
        Logger target = context.getLogger(loggerName);
        Level before = target.getEffectiveLevel();
        target.setLevel(Level.toLevel(level));
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("logger", target.getName());
        result.put("previous", before.toString());
        result.put("level", target.getEffectiveLevel().toString());
        return CommandResult.ok(result);
    }
}
