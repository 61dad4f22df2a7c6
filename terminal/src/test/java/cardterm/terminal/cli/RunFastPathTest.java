package cardterm.terminal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Only the exact service start skips picocli; every other command line is picocli's, with its messages. */
class RunFastPathTest {
    @Test
    void theServiceStartTakesTheFastPath() {
        assertThat(RunFastPath.configOf(new String[] {"run", "--config", "/etc/cardterm/terminal.yaml"}))
                .contains(Path.of("/etc/cardterm/terminal.yaml"));
        assertThat(RunFastPath.configOf(new String[] {"run", "--config=t.yaml"})).contains(Path.of("t.yaml"));
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        String[][] others = {
            {}, {"run"}, {"run", "--help"}, {"run", "--config"}, {"run", "--config="}, {"run", "--config", "--help"},
            {"run", "--config", "t.yaml", "--extra"}, {"run", "-h", "t.yaml"}, {"simulate", "--config", "t.yaml"},
            {"config", "check", "t.yaml"}, {"RUN", "--config", "t.yaml"}, {"run", "--config", "a\0b"}
        };
        for (String[] args : others) {
            assertThat(RunFastPath.configOf(args)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void aBadConfigIsBadInputAsThroughPicocli() {
        assertThat(RunFastPath.run(Path.of("/cardterm-no-such-dir/terminal.yaml"))).isEqualTo(CardtermMain.EXIT_BAD_INPUT);
        assertThat(CardtermMain.execute("run", "--config", "/cardterm-no-such-dir/terminal.yaml")).isEqualTo(CardtermMain.EXIT_BAD_INPUT);
    }
}
