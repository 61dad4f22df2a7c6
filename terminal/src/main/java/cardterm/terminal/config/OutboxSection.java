package cardterm.terminal.config;

import cardterm.terminal.config.ConfigReader.Section;
import cardterm.terminal.config.TerminalConfig.Terminal;
import cardterm.terminal.store.OutboxSettings;

/** {@code outbox}: the durable event store's bound, into {@link OutboxSettings}. */
final class OutboxSection {
    /** {@code outbox.maxEvents} when not given. */
    static final int DEFAULT_MAX_EVENTS = 1_000_000;

    private OutboxSection() {}

    /** The outbox settings of a terminal with every value at the config's default. */
    static OutboxSettings defaults(String site, String terminal) {
        return OutboxSettings.of(site, terminal).withMaxEntries(DEFAULT_MAX_EVENTS);
    }

    /** The settings, or null when something is wrong (reported) or the terminal section is. */
    static OutboxSettings map(ConfigReader r, Section s, Terminal terminal) {
        if (!s.usable) {
            return null;
        }
        Integer max = s.integer("maxEvents", DEFAULT_MAX_EVENTS, 1000, 100_000_000);
        if (max == null || terminal == null) {
            return null;
        }
        try {
            return defaults(terminal.site(), terminal.id()).withMaxEntries(max);
        } catch (IllegalArgumentException e) {
            r.problem(s.path, e.getMessage());
            return null;
        }
    }
}
