package cardterm.terminal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;

/**
 * One step of a component's schema: version {@code n} of, say, the {@code outbox} or the
 * {@code journal} tables. Each component numbers its own steps 1, 2, 3, ... so features built in
 * parallel never collide; {@link Database#migrate} applies the missing steps in order, each in its
 * own transaction together with its row in {@code schema_version}.
 */
public record Migration(int version, String description, Step step) {

    /** The work of one step, run inside the step's transaction. */
    @FunctionalInterface
    public interface Step {
        void apply(Connection connection) throws SQLException;
    }

    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1, got " + version);
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(step, "step");
    }

    /** A step made of plain SQL statements, run in order. */
    public static Migration sql(int version, String description, String... statements) {
        List<String> list = List.of(statements);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("migration " + version + " has no statement");
        }
        return new Migration(version, description, c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : list) {
                    s.executeUpdate(sql);
                }
            }
        });
    }
}
