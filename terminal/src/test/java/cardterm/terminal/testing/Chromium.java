package cardterm.terminal.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven by Selenium through the system chromedriver, with the flags
 * a closed network needs (without them it hangs) and an empty profile under a given folder. A
 * missing browser fails the test with the command that installs it.
 */
public final class Chromium {
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    /** Fails (never skips) when the browser or its driver is missing. */
    public static void requireInstalled() {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            throw new AssertionError("the browser tests need Debian's chromium and chromedriver: "
                    + "sudo apt-get install chromium chromium-driver (.ci/test installs them)");
        }
    }

    /** A new headless browser, 1280 x 1000, its profile in a new folder under {@code work}. */
    public static ChromeDriver start(Path work) throws IOException {
        requireInstalled();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + Files.createTempDirectory(work, "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
