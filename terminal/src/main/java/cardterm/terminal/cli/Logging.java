package cardterm.terminal.cli;

import org.slf4j.LoggerFactory;

/** Sets Logback levels at run time (from the config, or the hub's {@code log-level} command). */
final class Logging {
    private Logging() {}

    static void setRootLevel(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.toLevel(level,
                    ch.qos.logback.classic.Level.INFO));
        }
    }
}
