package cardterm.terminal.console;

import cardterm.terminal.app.TerminalConsole;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.sim.SimulatedTerminal;
import cardterm.terminal.testing.Mosquitto;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The counter console meets WCAG 2.1 AA as axe-core checks it ({@link Axe}), in a real browser
 * (Debian's chromium through the system chromedriver, as {@link ConsoleBrowserTest}) on a simulated
 * terminal with a real mosquitto: the sign-in page and the signed-in page of staff (with a call
 * showing) and of a technician, in Chinese and in English. To check another page or state, bring
 * the browser there and call {@link #assertNoViolations}; every page's violations are reported
 * together at the end of the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAccessibilityTest {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    Path work;
    Mosquitto broker;
    SimulatedTerminal sim;
    ConsoleServer console;
    WebDriver browser;
    SoftAssertions softly;

    @BeforeAll
    void start() throws Exception {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            throw new AssertionError("the console's browser tests need Debian's chromium and chromedriver: "
                    + "sudo apt-get install chromium chromium-driver (.ci/test installs them)");
        }
        Axe.script(); // a missing axe-core fails here, before anything starts
        work = Files.createTempDirectory("console-a11y-");
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
        softly = new SoftAssertions();
        browser.get(console.uri().toString());
        browser.manage().deleteAllCookies();
        browser.get(console.uri().toString());
    }

    @AfterEach
    void reportEveryPage() {
        softly.assertAll();
    }

    /** axe-core finds no WCAG 2.0/2.1 A or AA violation in the page shown now, called {@code pageName} in the report. */
    void assertNoViolations(String pageName) {
        List<Axe.Violation> found = Axe.violations(browser);
        softly.assertThat(found).as("WCAG 2.1 AA violations on %s:%n  %s", pageName,
                String.join("\n  ", found.stream().map(Axe.Violation::toString).toList())).isEmpty();
    }

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
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("who")).getText().contains(id));
        waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElement(By.id("terminal")).getText().isBlank());
    }

    void signOut() {
        browser.findElement(By.id("signout")).click();
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("signin-view")).isDisplayed());
    }

    /** Checks the page in Chinese (the default), then in English, and switches back. */
    void inBothLanguages(String pageName) {
        assertNoViolations(pageName + " (zh-CN)");
        browser.findElement(By.id("lang")).click();
        waitUpTo(Duration.ofSeconds(2)).until(d -> "en".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
        assertNoViolations(pageName + " (en)");
        browser.findElement(By.id("lang")).click();
        waitUpTo(Duration.ofSeconds(2)).until(d -> "zh-CN".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
    }

    @Test
    void signInAndSignedInPagesOfStaffAndTechnicianHaveNoWcag21AaViolations() {
        inBothLanguages("the sign-in page");

        browser.findElement(By.id("staffId")).sendKeys("S1001");
        browser.findElement(By.id("pin")).sendKeys("9999");
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElement(By.id("signin-error")).getText().isBlank());
        inBothLanguages("the sign-in page with a wrong PIN's message");
        browser.navigate().refresh();

        signIn("S1001", "1234");
        sim.press("call-1");
        waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElements(By.cssSelector("tr[data-button='call-1']")).isEmpty()
                && d.findElement(By.id("announce")).isDisplayed());
        inBothLanguages("staff S1001's page with a new call");
        String callId = browser.findElement(By.cssSelector("tr[data-button='call-1']")).getAttribute("id").substring(5);
        var resolved = sim.resolve(callId, "S9001");
        org.assertj.core.api.Assertions.assertThat(resolved.ok()).as("%s %s", resolved.code(), resolved.message()).isTrue();
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector("tr[data-button='call-1']")).isEmpty());
        signOut();

        signIn("T0001", "1234");
        inBothLanguages("technician T0001's page");
    }

    @Test
    void theCheckerFindsWhatItShould() {
        // the check can fail: a nameless button and grey-on-white text put into the page are found
        ((ChromeDriver) browser).executeScript("""
                const b = document.createElement('button'); b.id = 'a11y-probe-button'; document.body.appendChild(b);
                const p = document.createElement('p'); p.id = 'a11y-probe-text'; p.textContent = 'faint';
                p.style.color = '#bbbbbb'; document.body.appendChild(p);
                """);
        List<Axe.Violation> found = Axe.violations(browser);
        softly.assertThat(found).extracting(Axe.Violation::id).contains("button-name", "color-contrast");
        softly.assertThat(found).flatExtracting(Axe.Violation::targets).contains("#a11y-probe-button", "#a11y-probe-text");
    }
}
