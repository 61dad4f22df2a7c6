package cardterm.terminal.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The jar's entry point (its {@code Main-Class}): the service's start ({@code run --config FILE})
 * goes straight to {@link RunFastPath}, everything else to {@link CardtermMain}. It names no picocli
 * type, so a start of the service loads none of picocli's classes: they are Java 5 class files,
 * which the JDK 25 AOT cache cannot keep once linked, and {@code CardtermMain}'s own code (an
 * {@code IFactory}, handlers) made the cached JVM load and check them from the jar at every start.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Optional<Path> runConfig = RunFastPath.configOf(args);
        if (runConfig.isPresent()) {
            System.exit(RunFastPath.run(runConfig.get()));
        }
        CardtermMain.main(args);
    }

    /** This build's version from the jar manifest, or "dev" (as {@code cardterm --version} says). */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
