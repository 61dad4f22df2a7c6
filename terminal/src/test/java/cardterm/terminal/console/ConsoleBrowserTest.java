package cardterm.terminal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.hub.Topics;
import cardterm.terminal.sim.DemoJobs;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The counter console in a real browser (Debian's chromium, driven by Selenium through the system
 * chromedriver) on a simulated terminal with a real mosquitto: sign-in, calls, the job form, the
 * job list, cancel, and working with the hub unreachable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    BrowserRig rig;

    @BeforeAll
    void start() throws Exception {
        rig = new BrowserRig("console-browser");
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @BeforeEach
    void freshPage() {
        rig.sim.terminal().issuance().setProbe(point -> { });
        rig.freshPage();
    }

    @Test
    void signInThenACallPressedShowsWithinOneSecondAndAnAcknowledgementShowsTheOwner() throws Exception {
        assertThat(rig.browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
        rig.screenshot("signin");
        rig.signedIn("S1001");

        long pressed = System.nanoTime();
        rig.sim.press("call-1");
        rig.waitUpTo(Duration.ofSeconds(1)).until(d -> !d.findElements(By.cssSelector("tr[data-button='call-1']")).isEmpty());
        long shownMs = (System.nanoTime() - pressed) / 1_000_000;
        assertThat(shownMs).isLessThan(1000);
        assertThat(rig.browser.findElement(By.id("announce")).isDisplayed()).as("a new call is announced").isTrue();
        rig.screenshot("call");

        rig.click(By.cssSelector("tr[data-button='call-1'] button.ack"));
        rig.waitUpTo(Duration.ofSeconds(2)).until(d -> d.findElement(By.cssSelector("tr[data-button='call-1'] td.owner"))
                .getText().equals("S1001"));
        rig.waitUpTo(Duration.ofSeconds(2)).until(d -> d.findElements(By.cssSelector("#audit tbody tr")).stream()
                .anyMatch(r -> r.getText().contains("S1001") && r.getText().contains("command.call-ack")
                        && r.getText().contains("console")));
        rig.screenshot("acknowledged");

        rig.browser.findElement(By.id("lang")).click();
        assertThat(rig.browser.findElement(By.id("calls-h")).getText()).isEqualTo("Assistance calls");
        rig.browser.findElement(By.id("lang")).click();

        rig.click(By.cssSelector("tr[data-button='call-1'] button.resolve"));
        rig.waitUpTo(Duration.ofSeconds(2)).until(d -> d.findElements(By.cssSelector("tr[data-button='call-1']")).isEmpty());
    }

    @Test
    void aJobWithThreeMistakesShowsAllThreeBesideTheirFieldsThenCorrectedRunsStepByStepToCompletion() throws Exception {
        rig.signedIn("S1002");
        rig.open("new-job");
        ObjectNode demo = DemoJobs.job("unused", "S1002", 70, false, LocalDate.now(), 7);
        String goodId = demo.path("citizen").path("idNumber").asText();
        String badId = goodId.substring(0, 17) + (goodId.charAt(17) == '0' ? '1' : '0'); // a wrong check digit
        type("f-name", demo.path("citizen").path("name").asText());
        type("f-idNumber", badId);
        // gender left unchosen, card number left empty: three mistakes
        rig.browser.findElement(By.id("f-cardNumber")).clear();
        rig.click(By.id("job-submit"));
        rig.waitUpTo(Duration.ofSeconds(5)).until(d -> !error("citizen.idNumber").isBlank()
                && !error("citizen.gender").isBlank() && !error("card.cardNumber").isBlank());
        assertThat(rig.browser.findElement(By.id("job-form-summary")).getText()).startsWith("3 ");
        assertThat(rig.browser.findElement(By.id("f-idNumber")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(rig.browser.findElements(By.cssSelector("#job-form .field-error")).stream()
                .filter(e -> !e.getText().isBlank()).count()).as("only the three fields show a mistake").isEqualTo(3);
        rig.screenshot("job-form-mistakes");

        String jobId = rig.browser.findElement(By.id("f-jobId")).getAttribute("value");
        type("f-idNumber", goodId);
        new org.openqa.selenium.support.ui.Select(rig.browser.findElement(By.id("f-gender"))).selectByValue("1");
        type("f-cardNumber", demo.path("card").path("cardNumber").asText());
        rig.click(By.id("job-submit"));
        rig.waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("job-result")).getText().contains(jobId));
        assertThat(error("citizen.idNumber")).isBlank();

        rig.open("jobs");
        rig.waitUpTo(Duration.ofSeconds(30)).until(d -> !d.findElements(
                By.cssSelector("#recent tr[data-job='" + jobId + "'][data-outcome='completed']")).isEmpty());
        rig.waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElements(By.cssSelector("#last-steps li")).isEmpty());
        List<String> steps = rig.browser.findElements(By.cssSelector("#last-steps li")).stream()
                .map(e -> e.getAttribute("data-step")).distinct().toList();
        assertThat(steps).containsSubsequence("printer-check", "card-feed", "chip", "print", "eject");
        rig.screenshot("jobs");
    }

    @Test
    void aQueuedJobIsCancelledFromTheJobsPageAndTheOthersRun() throws Exception {
        BrowserRig.Hold hold = rig.holdJobsAtStart(); // the first job holds the worker: the others wait
        try {
            assertThat(rig.sim.issue(40, false, "S1001")).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> rig.sim.terminal().issuance().runningJob().isPresent());
            String running = rig.sim.terminal().issuance().runningJob().orElseThrow();
            assertThat(rig.sim.issue(30, false, "S1001")).isEmpty();
            assertThat(rig.sim.issue(75, false, "S1001")).isEmpty(); // elderly: runs first
            rig.signedIn("S1001");
            rig.open("jobs");
            rig.waitUpTo(Duration.ofSeconds(3)).until(d -> d.findElements(By.cssSelector("#queue tbody tr")).size() == 2);
            List<WebElement> rows = rig.browser.findElements(By.cssSelector("#queue tbody tr"));
            assertThat(rows.get(0).getAttribute("class")).as("the elderly citizen's job is first").contains("elderly");
            String victim = rows.get(1).getAttribute("data-job");
            assertThat(rig.browser.findElement(By.id("running")).getAttribute("data-job")).isEqualTo(running);
            rig.click(By.cssSelector("#queue tr[data-job='" + rows.get(0).getAttribute("data-job") + "'] button.face"));
            rig.waitUpTo(Duration.ofSeconds(3)).until(d -> Boolean.TRUE.equals(rig.browser.executeScript(
                    "const i = document.getElementById('face'); return i.complete && i.naturalWidth > 0;")));
            rig.screenshot("jobs-queue");

            rig.click(By.cssSelector("#queue tr[data-job='" + victim + "'] button.cancel"));
            rig.waitUpTo(Duration.ofSeconds(3)).until(d -> d.findElements(
                    By.cssSelector("#queue tr[data-job='" + victim + "']")).isEmpty());
            rig.waitUpTo(Duration.ofSeconds(3)).until(d -> !d.findElements(
                    By.cssSelector("#recent tr[data-job='" + victim + "'][data-outcome='CANCELLED']")).isEmpty());
            hold.close();
            rig.waitUpTo(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#queue tbody tr")).isEmpty()
                    && d.findElements(By.cssSelector("#recent tr[data-outcome='completed'][data-job='" + running + "']")).size() == 1);
        } finally {
            hold.close();
        }
    }

    @Test
    void withTheBrokerStoppedACallAndACardAreDoneAndEveryEventArrivesInOrderWhenItReturns() throws Exception {
        var t = rig.sim.terminal().config().terminal();
        String filter = new Topics(t.site(), t.id()).root() + "/event/#";
        String hubClient = "hub-" + System.nanoTime();
        List<MqttRecorder.Message> got = new ArrayList<>();
        MqttRecorder hub = MqttRecorder.start(rig.broker.uri(), hubClient, filter, true, o -> { });
        try {
            rig.signedIn("S1001");
            await().atMost(Duration.ofSeconds(10)).until(() -> rig.sim.terminal().outbox().backlog().count() == 0);
            rig.broker.stop();
            rig.waitUpTo(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("hub-state")).getAttribute("class").equals("bad"));
            long firstSeq = rig.sim.terminal().outbox().lastSeq() + 1;

            rig.sim.press("call-2");
            rig.waitUpTo(Duration.ofSeconds(2)).until(d -> !d.findElements(By.cssSelector("tr[data-button='call-2']")).isEmpty());
            rig.click(By.cssSelector("tr[data-button='call-2'] button.ack"));
            rig.waitUpTo(Duration.ofSeconds(2)).until(d -> d.findElement(By.cssSelector("tr[data-button='call-2'] td.owner"))
                    .getText().equals("S1001"));
            rig.open("new-job");
            ObjectNode demo = DemoJobs.job("unused", "S1001", 50, true, LocalDate.now(), 11);
            type("f-name", demo.path("citizen").path("name").asText());
            type("f-idNumber", demo.path("citizen").path("idNumber").asText());
            new org.openqa.selenium.support.ui.Select(rig.browser.findElement(By.id("f-gender"))).selectByValue("1");
            type("f-cardNumber", demo.path("card").path("cardNumber").asText());
            rig.click(By.id("f-optout"));
            String jobId = rig.browser.findElement(By.id("f-jobId")).getAttribute("value");
            rig.click(By.id("job-submit"));
            rig.open("jobs");
            rig.waitUpTo(Duration.ofSeconds(30)).until(d -> !d.findElements(
                    By.cssSelector("#recent tr[data-job='" + jobId + "'][data-outcome='completed']")).isEmpty());
            rig.open("overview");
            rig.waitUpTo(Duration.ofSeconds(3)).until(d -> !d.findElement(By.id("backlog")).getText().contains(": 0"));
            rig.screenshot("hub-down");
            long lastSeq = rig.sim.terminal().outbox().lastSeq();
            assertThat(lastSeq - firstSeq).as("events stored while the hub was away").isGreaterThan(5);

            got.addAll(hub.messages());
            hub.close();
            rig.broker.start();
            hub = MqttRecorder.start(rig.broker.uri(), hubClient, filter, true, o -> { });
            MqttRecorder back = hub;
            rig.waitUpTo(Duration.ofSeconds(30)).until(d -> d.findElement(By.id("hub-state")).getAttribute("class").equals("good")
                    && d.findElement(By.id("backlog")).getText().contains(": 0"));
            await().atMost(Duration.ofSeconds(30)).until(() -> arrivedSince(back.messages(), firstSeq).size()
                    >= lastSeq - firstSeq + 1);
            got.addAll(back.messages());
            List<JsonNode> after = arrivedSince(got, firstSeq);
            assertThat(after.stream().map(e -> e.get("seq").asLong()).sorted().toList())
                    .as("every event stored while the hub was away, none missing")
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(firstSeq, lastSeq).boxed().toList());
            Map<String, Long> lastByKind = new HashMap<>();
            for (JsonNode e : after) {
                String kind = e.get("type").asText().split("\\.")[0];
                Long before = lastByKind.put(kind, e.get("seq").asLong());
                assertThat(before == null || before < e.get("seq").asLong()).as("%s events in order", kind).isTrue();
            }
            assertThat(after).extracting(e -> e.get("type").asText())
                    .contains("assist.call.acknowledged", "issuance.accepted", "issuance.completed");
            assertThat(after.stream().filter(e -> e.get("type").asText().equals("issuance.completed"))
                    .map(e -> e.path("data").path("jobId").asText())).contains(jobId);
        } finally {
            hub.close();
            if (!rig.broker.isRunning()) {
                rig.broker.start();
            }
        }
    }

    @Test
    void fiveWrongPinsLockTheId() {
        for (int i = 0; i < 5; i++) {
            rig.signIn("S2001", "9999");
            int tries = i;
            rig.waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElement(By.id("signin-error")).getText().isBlank()
                    && (tries < 4 || d.findElement(By.id("signin-error")).getText().contains("locked")));
            rig.browser.navigate().refresh();
        }
        rig.signIn("S2001", "1234");
        rig.waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("signin-error")).getText().contains("locked"));
        assertThat(rig.browser.findElement(By.id("main-view")).isDisplayed()).isFalse();
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() {
        rig.signedIn("S9001");
        Object status = rig.browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/command/printer-test', {method: 'POST', credentials: 'same-origin',
                  headers: {'Content-Type': 'application/json'}, body: '{}'}).then(r => done(r.status));
                """);
        assertThat(((Number) status).intValue()).isEqualTo(403);
    }

    @Test
    void aTechnicianSeesDevicesAndSuppliesButNoCallsNoJobFormAndNoNames() throws Exception {
        rig.signedIn("T0001");
        assertThat(rig.browser.findElement(By.id("calls-section")).isDisplayed()).isFalse();
        assertThat(rig.browser.findElement(By.cssSelector("#nav a[data-view='new-job']")).isDisplayed()).isFalse();
        rig.open("devices");
        assertThat(rig.browser.findElement(By.id("printer-test")).isDisplayed()).isTrue();
        rig.waitUpTo(Duration.ofSeconds(3)).until(d -> !d.findElements(By.cssSelector("#supplies li[data-supply='cards']")).isEmpty());
        rig.click(By.id("selftest"));
        rig.waitUpTo(Duration.ofSeconds(20)).until(d -> !d.findElement(By.id("selftest-result")).getText().isBlank());
        rig.screenshot("devices");
        assertThat(rig.browser.findElement(By.id("who")).getText()).contains("technician");
        Object state = rig.browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/state', {credentials: 'same-origin'}).then(r => r.text()).then(done);
                """);
        assertThat((String) state).doesNotContain("nameMasked").doesNotContain("idMasked").doesNotContain("\"calls\"");
    }

    private void type(String id, String text) {
        WebElement e = rig.browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    private String error(String field) {
        return rig.browser.findElement(By.id("e-" + field)).getText();
    }

    /** The first arrival of each event with seq at least {@code from}, in arrival order. */
    private static List<JsonNode> arrivedSince(List<MqttRecorder.Message> messages, long from) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (MqttRecorder.Message m : messages) {
            JsonNode e = m.json();
            if (e.path("seq").asLong() >= from) {
                byId.putIfAbsent(e.get("id").asText(), e);
            }
        }
        return new ArrayList<>(byId.values());
    }
}
