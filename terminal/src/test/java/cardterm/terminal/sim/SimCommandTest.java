package cardterm.terminal.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimCommandTest {
    @Test
    void parsesEveryDocumentedCommand() {
        assertThat(SimCommand.parse("press call-1")).isEqualTo(new SimCommand.Press("call-1"));
        assertThat(SimCommand.parse("hold call-2 3.5")).isEqualTo(new SimCommand.Hold("call-2", 3.5));
        assertThat(SimCommand.parse("ack C-1 S1024")).isEqualTo(new SimCommand.Ack("C-1", "S1024"));
        assertThat(SimCommand.parse("resolve C-1 S1024")).isEqualTo(new SimCommand.Resolve("C-1", "S1024"));
        assertThat(SimCommand.parse("issue 65")).isEqualTo(new SimCommand.Issue(65, false));
        assertThat(SimCommand.parse("issue 75 optout")).isEqualTo(new SimCommand.Issue(75, true));
        assertThat(SimCommand.parse("cover open")).isEqualTo(new SimCommand.Cover(true));
        assertThat(SimCommand.parse("cover close")).isEqualTo(new SimCommand.Cover(false));
        assertThat(SimCommand.parse("jam")).isEqualTo(new SimCommand.Jam());
        assertThat(SimCommand.parse("feeder 0")).isEqualTo(new SimCommand.Feeder(0));
        assertThat(SimCommand.parse("empty tray")).isEqualTo(new SimCommand.Empty("tray"));
        assertThat(SimCommand.parse("empty rejects")).isEqualTo(new SimCommand.Empty("rejects"));
        assertThat(SimCommand.parse("yank")).isEqualTo(new SimCommand.Yank("card"));
        assertThat(SimCommand.parse("yank printer")).isEqualTo(new SimCommand.Yank("printer"));
        assertThat(SimCommand.parse("help")).isEqualTo(new SimCommand.Help());
        assertThat(SimCommand.parse(null)).isEqualTo(new SimCommand.Quit());
        assertThat(SimCommand.parse("  # comment")).isEqualTo(new SimCommand.Nothing());
    }

    @Test
    void badLinesSayWhatIsWrong() {
        assertThat(SimCommand.parse("fly away")).isEqualTo(new SimCommand.Invalid("unknown command 'fly' (type help for the list)"));
        assertThat(SimCommand.parse("press")).isEqualTo(new SimCommand.Invalid("usage: press ID"));
        assertThat(SimCommand.parse("hold call-1 x")).isInstanceOf(SimCommand.Invalid.class)
                .extracting(c -> ((SimCommand.Invalid) c).message()).asString().contains("not a number");
        assertThat(SimCommand.parse("feeder -3")).isInstanceOf(SimCommand.Invalid.class);
        assertThat(SimCommand.parse("issue 5")).isInstanceOf(SimCommand.Invalid.class);
        assertThat(SimCommand.parse("empty box")).isEqualTo(new SimCommand.Invalid("usage: empty tray|rejects"));
        assertThat(SimCommand.parse("cover ajar")).isEqualTo(new SimCommand.Invalid("usage: cover open|close"));
    }
}
