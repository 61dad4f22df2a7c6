package cardterm.terminal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the whole terminal with simulated devices and an embedded MQTT broker.")
public final class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("simulate: not built yet");
        return CardtermMain.EXIT_FAILED;
    }
}
