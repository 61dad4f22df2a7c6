package cardterm.terminal.console;

import cardterm.terminal.app.TerminalConsole;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.sim.SimulatedTerminal;
import cardterm.terminal.testing.Mosquitto;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A simulated terminal with its counter console, on a real mosquitto (persistent, so a subscriber's
 * session survives a broker restart), seen through Debian's chromium driven by Selenium through
 * the system chromedriver. A missing browser fails the test with the command that installs it.
 */
final class BrowserRig implements AutoCloseable {
    final Path work;
    final Mosquitto broker;
    final SimulatedTerminal sim;
    final ConsoleServer console;
    final ChromeDriver browser;

    BrowserRig(String name) throws Exception {
        cardterm.terminal.testing.Chromium.requireInstalled();
        work = Files.createTempDirectory(name + "-");
        broker = Mosquitto.builder().persistence(true).start();
        TerminalConfig config = TerminalConfig.forSimulation(work.resolve("data"), broker.uri());
        sim = SimulatedTerminal.start(config, work, new PrintStream(OutputStream.nullOutputStream()), 0.05,
                Clock.system(config.terminal().timeZone()), "test");
        console = TerminalConsole.start(sim.terminal(), config.console().withPort(0));
        browser = cardterm.terminal.testing.Chromium.start(work);
    }

    /** A fresh page, signed out. */
    void freshPage() {
        browser.get(console.uri().toString());
        browser.manage().deleteAllCookies();
        browser.get(console.uri().toString());
    }

    /** A wait that looks again when a live update replaced what it was looking at. */
    WebDriverWait waitUpTo(Duration d) {
        WebDriverWait w = new WebDriverWait(browser, d, Duration.ofMillis(20));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    void signIn(String id, String pin) {
        WebElement staff = browser.findElement(By.id("staffId"));
        staff.clear();
        staff.sendKeys(id);
        browser.findElement(By.id("pin")).sendKeys(pin);
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
    }

    /** Signs in and waits for the first live state. */
    void signedIn(String id) {
        signIn(id, "1234");
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("who")).getText().contains(id));
        waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElement(By.id("terminal")).getText().isBlank());
    }

    /** A hold on the issuance worker; closing it lets the worker go. */
    interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds the issuance worker at the start of the next job (up to 30 s) until the returned hold
     * is closed, so the jobs after it stay queued; closing lets it go and removes the hold.
     */
    Hold holdJobsAtStart() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        sim.terminal().issuance().setProbe(point -> {
            if (point.equals("job.started")) {
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return () -> {
            release.countDown();
            sim.terminal().issuance().setProbe(point -> { });
        };
    }

    /** Opens one of the console's pages by its link in the navigation. */
    void open(String view) {
        click(By.cssSelector("#nav a[data-view='" + view + "']"));
        waitUpTo(Duration.ofSeconds(2)).until(d -> d.findElement(By.id("view-" + view)).isDisplayed());
    }

    /** Clicks what {@code by} finds, again if a live update replaced it in between. */
    void click(By by) {
        waitUpTo(Duration.ofSeconds(2)).until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    /** Saves a screenshot as {@code target/console-screens/NAME.png}. */
    void screenshot(String name) throws Exception {
        File f = browser.getScreenshotAs(OutputType.FILE);
        Path dir = Path.of("target", "console-screens");
        Files.createDirectories(dir);
        Files.copy(f.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        try {
            browser.quit();
        } finally {
            try {
                console.close();
            } finally {
                try {
                    sim.close();
                } finally {
                    broker.close();
                }
            }
        }
    }
}
