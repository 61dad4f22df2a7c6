package cardterm.terminal.config;

import cardterm.devices.check.Problems;
import java.util.Objects;

/** What {@link ConfigLoader} found: a valid config, or every problem with it. Never both. */
public sealed interface ConfigResult {

    /** Whether the file (with the environment) gave a valid config. */
    boolean isValid();

    /** Every problem found; empty when valid. Lines read {@code key.path: message}. */
    Problems problems();

    /** The config of a valid result. */
    record Valid(TerminalConfig config) implements ConfigResult {
        public Valid {
            Objects.requireNonNull(config, "config");
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public Problems problems() {
            return new Problems();
        }
    }

    /** The problems of an invalid result (at least one). */
    record Invalid(Problems problems) implements ConfigResult {
        public Invalid {
            if (problems == null || problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one problem");
            }
            problems = new Problems().addAll(problems); // a private copy
        }

        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public Problems problems() {
            return new Problems().addAll(problems);
        }
    }
}
