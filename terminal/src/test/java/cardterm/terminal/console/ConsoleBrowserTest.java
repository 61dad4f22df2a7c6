package cardterm.terminal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.app.TerminalConsole;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.sim.SimulatedTerminal;
import cardterm.terminal.testing.Mosquitto;
import java.io.File;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The counter console in a real browser (Debian's chromium, driven by Selenium through the system
 * chromedriver) on a simulated terminal with a real mosquitto.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    Path work;
    Mosquitto broker;
    SimulatedTerminal sim;
    ConsoleServer console;
    WebDriver browser;

    @BeforeAll
    void start() throws Exception {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            throw new AssertionError("the console's browser tests need Debian's chromium and chromedriver: "
                    + "sudo apt-get install chromium chromium-driver (.ci/test installs them)");
        }
        work = Files.createTempDirectory("console-browser-");
        broker = Mosquitto.startPlain();
        TerminalConfig config = TerminalConfig.forSimulation(work.resolve("data"), broker.uri());
        sim = SimulatedTerminal.start(config, work, new PrintStream(OutputStream.nullOutputStream()), 0.05,
                Clock.system(config.terminal().timeZone()), "test");
        console = TerminalConsole.start(sim.terminal(), config.console().withPort(0));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + Files.createTempDirectory(work, "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void freshPage() {
        browser.get(console.uri().toString());
        browser.manage().deleteAllCookies();
        browser.get(console.uri().toString());
    }

    /** A wait that looks again when a live update replaced what it was looking at. */
    WebDriverWait waitUpTo(Duration d) {
        WebDriverWait w = new WebDriverWait(browser, d, Duration.ofMillis(20));
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }

    void signIn(String id, String pin) {
        WebElement staff = browser.findElement(By.id("staffId"));
        staff.clear();
        staff.sendKeys(id);
        browser.findElement(By.id("pin")).sendKeys(pin);
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
    }

    /** Clicks what {@code by} finds, again if a live update replaced it in between. */
    void click(By by) {
        waitUpTo(Duration.ofSeconds(2)).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    void screenshot(String name) throws Exception {
        File f = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path dir = Path.of("target", "console-screens");
        Files.createDirectories(dir);
        Files.copy(f.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void signInThenACallPressedShowsWithinOneSecondAndAnAcknowledgementShowsTheOwner() throws Exception {
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
        screenshot("signin");
        signIn("S1001", "1234");
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("who")).getText().contains("S1001"));
        waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElement(By.id("terminal")).getText().isBlank());

        long pressed = System.nanoTime();
        sim.press("call-1");
        waitUpTo(Duration.ofSeconds(1)).until(d -> !d.findElements(By.cssSelector("tr[data-button='call-1']")).isEmpty());
        long shownMs = (System.nanoTime() - pressed) / 1_000_000;
        assertThat(shownMs).isLessThan(1000);
        assertThat(browser.findElement(By.id("announce")).isDisplayed()).as("a new call is announced").isTrue();
        screenshot("call");

        click(By.cssSelector("tr[data-button='call-1'] button.ack"));
        waitUpTo(Duration.ofSeconds(2)).until(d -> d.findElement(By.cssSelector("tr[data-button='call-1'] td.owner"))
                .getText().equals("S1001"));
        waitUpTo(Duration.ofSeconds(2)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#audit tbody tr")).stream()
                .anyMatch(r -> r.getText().contains("S1001") && r.getText().contains("command.call-ack")
                        && r.getText().contains("console")));
        screenshot("acknowledged");

        browser.findElement(By.id("lang")).click();
        assertThat(browser.findElement(By.id("calls-h")).getText()).isEqualTo("Assistance calls");
        browser.findElement(By.id("lang")).click();

        click(By.cssSelector("tr[data-button='call-1'] button.resolve"));
        waitUpTo(Duration.ofSeconds(2)).until(d -> d.findElements(By.cssSelector("tr[data-button='call-1']")).isEmpty());
    }

    @Test
    void fiveWrongPinsLockTheId() {
        for (int i = 0; i < 5; i++) {
            signIn("S1002", "9999");
            int tries = i;
            waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElement(By.id("signin-error")).getText().isBlank()
                    && (tries < 4 || d.findElement(By.id("signin-error")).getText().contains("locked")));
            browser.navigate().refresh();
        }
        signIn("S1002", "1234");
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("signin-error")).getText().contains("locked"));
        assertThat(browser.findElement(By.id("main-view")).isDisplayed()).isFalse();
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() {
        signIn("S9001", "1234");
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("who")).getText().contains("S9001"));
        Object status = ((ChromeDriver) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/command/printer-test', {method: 'POST', credentials: 'same-origin',
                  headers: {'Content-Type': 'application/json'}, body: '{}'}).then(r => done(r.status));
                """);
        assertThat(((Number) status).intValue()).isEqualTo(403);
    }

    @Test
    void aTechnicianSeesNoCalls() {
        signIn("T0001", "1234");
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("who")).getText().contains("T0001"));
        waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElement(By.id("terminal")).getText().isBlank());
        assertThat(browser.findElement(By.id("calls-section")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("printer-test")).isDisplayed()).isTrue();
        assertThat(List.of(browser.findElement(By.id("who")).getText())).allSatisfy(w -> assertThat(w).contains("technician"));
    }
}
