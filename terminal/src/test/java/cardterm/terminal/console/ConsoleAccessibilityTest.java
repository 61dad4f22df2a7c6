package cardterm.terminal.console;

import cardterm.terminal.sim.SimulatedTerminal;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
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
    BrowserRig rig;
    WebDriver browser;
    SimulatedTerminal sim;
    SoftAssertions softly;

    @BeforeAll
    void start() throws Exception {
        Axe.script(); // a missing axe-core fails here, before anything starts
        rig = new BrowserRig("console-a11y");
        browser = rig.browser;
        sim = rig.sim;
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @BeforeEach
    void freshPage() {
        softly = new SoftAssertions();
        rig.freshPage();
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
        return rig.waitUpTo(d);
    }

    void signIn(String id, String pin) {
        rig.signIn(id, pin);
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
        inBothLanguages("staff S1001's overview with a new call");
        String callId = browser.findElement(By.cssSelector("tr[data-button='call-1']")).getAttribute("id").substring(5);
        var resolved = sim.resolve(callId, "S9001");
        org.assertj.core.api.Assertions.assertThat(resolved.ok()).as("%s %s", resolved.code(), resolved.message()).isTrue();
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector("tr[data-button='call-1']")).isEmpty());

        // the jobs page with a job running, two waiting and a card face shown, then the last jobs
        try (BrowserRig.Hold hold = rig.holdJobsAtStart()) {
            org.assertj.core.api.Assertions.assertThat(sim.issue(40, false, "S1001")).isEmpty();
            org.assertj.core.api.Assertions.assertThat(sim.issue(75, false, "S1001")).isEmpty();
            org.assertj.core.api.Assertions.assertThat(sim.issue(30, true, "S1001")).isEmpty();
            rig.open("jobs");
            waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector("#queue tbody tr")).size() >= 2);
            rig.click(By.cssSelector("#queue tbody tr button.face"));
            waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("face-section")).isDisplayed());
            inBothLanguages("the jobs page with a running job, a queue and a card face");
        }
        waitUpTo(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#queue tbody tr")).isEmpty()
                && d.findElements(By.cssSelector("#recent tbody tr")).size() >= 3);
        inBothLanguages("the jobs page with the last jobs");

        rig.open("new-job");
        inBothLanguages("the new job form");
        rig.click(By.id("job-submit"));
        waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElement(By.id("job-form-summary")).getText().isBlank());
        inBothLanguages("the new job form with its mistakes");

        rig.open("devices");
        rig.click(By.id("selftest"));
        waitUpTo(Duration.ofSeconds(20)).until(d -> !d.findElement(By.id("selftest-result")).getText().isBlank());
        inBothLanguages("the devices page with a self-test's result");
        signOut();

        signIn("T0001", "1234");
        inBothLanguages("technician T0001's overview");
        rig.open("jobs");
        inBothLanguages("technician T0001's jobs page");
        rig.open("devices");
        inBothLanguages("technician T0001's devices page");
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
