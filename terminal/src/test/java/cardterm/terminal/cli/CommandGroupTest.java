package cardterm.terminal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Every command that only groups subcommands answers the same way when called without one. */
class CommandGroupTest {
    @ParameterizedTest
    @ValueSource(strings = {"config", "card", "printer", "audit", "bench"})
    void withoutASubcommandItShowsItsUsageOnStandardErrorAndExitsTwo(String group) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CardtermMain.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute(group)).isEqualTo(CardtermMain.EXIT_BAD_INPUT);
        assertThat(err.toString()).startsWith("Usage: cardterm " + group);
        assertThat(out.toString()).isEmpty();
    }
}
