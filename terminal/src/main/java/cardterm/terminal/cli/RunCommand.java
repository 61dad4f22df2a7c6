package cardterm.terminal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the terminal service on real devices.")
public final class RunCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("run: not built yet");
        return CardtermMain.EXIT_FAILED;
    }
}
