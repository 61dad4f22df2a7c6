package cardterm.terminal.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The service's start ({@code cardterm run --config FILE}, what systemd runs) without building the
 * command model of every {@code cardterm} command: picocli reads the annotations of all commands
 * (reflection, annotation proxies) before it runs one, which took about half a second of every
 * start, and its classes (Java 5 class files) cannot be kept in the JVM's AOT cache. Only the exact
 * form {@code run --config FILE} (or {@code run --config=FILE}) takes this path; anything else
 * ({@code --help}, other options, a bad argument) goes through picocli as before, with its messages.
 */
final class RunFastPath {
    private RunFastPath() {
    }

    /** The config file when {@code args} are exactly {@code run --config FILE}; else empty (picocli decides). */
    static Optional<Path> configOf(String[] args) {
        String file;
        if (args.length == 3 && "run".equals(args[0]) && "--config".equals(args[1])) {
            file = args[2];
        } else if (args.length == 2 && "run".equals(args[0]) && args[1].startsWith("--config=")) {
            file = args[1].substring("--config=".length());
        } else {
            return Optional.empty();
        }
        if (file.isEmpty() || file.startsWith("-")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(file));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * Has the JDK set up, on another thread while this one configures logging, reads the config and
     * opens the devices, what the start needs later and the AOT cache cannot keep (state built by
     * interpreted code, classes made at run time): its XML parser and its proxy class generator
     * (Logback reads its XML config and makes an annotation proxy for each of its model handlers),
     * and its locale data (the first {@code Calendar} of a JVM costs 100 to 300 ms, every available
     * locale's tag is parsed; SQLite's driver needs one when the database opens). Only JDK state
     * that whoever needs it would set up the same way: a head start, no change of behaviour.
     */
    static void warmLocaleData() {
        Thread warm = new Thread(() -> {
            try {
                javax.xml.parsers.SAXParserFactory.newInstance().newSAXParser();
                java.lang.reflect.Proxy.newProxyInstance(RunFastPath.class.getClassLoader(), new Class<?>[] {Runnable.class},
                        (proxy, method, args) -> null);
                java.util.Calendar.getInstance(java.util.TimeZone.getDefault(), java.util.Locale.getDefault());
                java.text.DateFormatSymbols.getInstance(java.util.Locale.getDefault());
            } catch (RuntimeException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
                // only a head start: whoever needs it sets it up itself
            }
        }, "cardterm-warm-jdk");
        warm.setDaemon(true);
        warm.start();
    }

    /** Runs the service as picocli would, with the same handling of an unexpected exception as {@link CardtermMain}. */
    static int run(Path config) {
        warmLocaleData();
        RunCommand run = new RunCommand();
        run.configFile = config;
        try {
            return run.call();
        } catch (Exception ex) {
            org.slf4j.LoggerFactory.getLogger(CardtermMain.class).debug("command failed", ex);
            System.err.println("cardterm: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
            return CardtermMain.EXIT_FAILED;
        }
    }
}
