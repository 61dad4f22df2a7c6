package cardterm.terminal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Check a configuration file.")
public final class ConfigCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("config: not built yet");
        return CardtermMain.EXIT_FAILED;
    }
}
