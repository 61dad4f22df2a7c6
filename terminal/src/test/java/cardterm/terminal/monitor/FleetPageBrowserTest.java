package cardterm.terminal.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.check.Problems;
import cardterm.terminal.config.StaffFile;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.staff.PinHash;
import cardterm.terminal.staff.StaffRegistry;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import cardterm.terminal.testing.TcpProxy;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The fleet page ({@code cardterm monitor --serve}) in Debian's chromium: five terminals on two
 * sites publish their retained state and health on a real mosquitto (t-0003 through a proxy the
 * test cuts, so the broker publishes its will); t-0002's printer is jammed and t-0102's id is
 * claimed twice. A staff member is refused; a technician sees every terminal, the troubled ones
 * first; the site filter narrows the list; the will shows within seconds without a reload; one
 * terminal shows its devices and an event published after it was opened (its events subscribed
 * for it alone).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetPageBrowserTest {
    static final String A = "wz-lucheng-01";
    static final String B = "wz-ouhai-02";

    static Path work;
    static Mosquitto broker;
    static TcpProxy proxy;
    static MqttRecorder hub;
    static MqttRecorder dying;
    static FleetWatcher watcher;
    static FleetPageServer page;
    static ChromeDriver browser;

    @BeforeAll
    static void setUp() throws Exception {
        cardterm.terminal.testing.Chromium.requireInstalled();
        work = Files.createTempDirectory("fleet-page-");
        broker = Mosquitto.startPlain();
        hub = MqttRecorder.start(broker.uri(), null);
        online(A, "t-0001", health("ONLINE", "OK", "", null));
        online(A, "t-0002", health("DEGRADED", "JAM", "card stuck at the exit", null));
        online(B, "t-0101", health("ONLINE", "OK", "", null));
        online(B, "t-0102", health("ONLINE", "OK", "", "another client took over the session of t-0102 3 times"));
        // t-0003 is a terminal of its own: its will stands on its state topic, reached through a proxy
        proxy = TcpProxy.to("127.0.0.1", broker.port());
        dying = MqttRecorder.start(proxy.uri(), "t-0003", null, false, o -> {
            o.setWill(topic(A, "t-0003", "state"), "{\"online\":false,\"bdSeq\":7}".getBytes(StandardCharsets.UTF_8),
                    1, true);
            o.setKeepAliveInterval(2);
        });
        dying.publish(topic(A, "t-0003", "state"), state(true, 7), 1, true);
        dying.publish(topic(A, "t-0003", "health"), health("ONLINE", "OK", "", null), 1, true);

        Path staffFile = work.resolve("staff.yaml");
        String hash = PinHash.hash("1234".toCharArray());
        Files.writeString(staffFile, """
                staff:
                  - {id: S1001, name: 王丽, role: staff, post: A, pinHash: %1$s}
                  - {id: S9001, name: 赵敏, role: supervisor, pinHash: %1$s}
                  - {id: T0001, name: 周工, role: technician, pinHash: %1$s}
                """.formatted(hash));
        Problems problems = new Problems();
        StaffRegistry staff = StaffFile.load(staffFile, problems).orElseThrow(() -> new AssertionError(problems));
        Clock clock = Clock.system(ZoneId.of("Asia/Shanghai"));
        FleetView view = new FleetView();
        watcher = FleetWatcher.start(new FleetWatcher.Connection(broker.uri(), Optional.empty(), Optional.empty(),
                Optional.empty()), Optional.empty(), view, clock, false);
        page = FleetPageServer.start(TerminalConfig.Console.DEFAULT.withPort(0), staff, watcher, clock);
        await().atMost(Duration.ofSeconds(10)).until(() -> view.size() == 5);

        browser = cardterm.terminal.testing.Chromium.start(work);
    }

    @AfterAll
    static void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {() -> {
            if (browser != null) {
                browser.quit();
            }
        }, page, watcher, dying, hub, proxy, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest anyway
            }
        }
    }

    static String topic(String site, String terminal, String suffix) {
        return "cardterm/v1/" + site + "/" + terminal + "/" + suffix;
    }

    static byte[] state(boolean online, int bdSeq) {
        return ("{\"online\":" + online + ",\"bdSeq\":" + bdSeq + ",\"ts\":\"" + Instant.now()
                + "\",\"version\":\"1.4.0\",\"startedAt\":\"" + Instant.now().minusSeconds(3600) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] health(String printerState, String reason, String message, String conflict) {
        return ("""
                {"ts":"%s","status":"%s","devices":{
                  "printer":{"state":"%s","reason":"%s","message":"%s","since":"%s"},
                  "encoder":{"state":"ONLINE","reason":"OK","message":"","since":"%s"}},
                 "supplies":[{"device":"printer","supply":"ribbon","level":"ok","left":480},
                             {"device":"printer","supply":"cards","level":"ok","left":200}],
                 "outbox":{"backlog":2,"oldestAgeMs":1500},"system":{"uptimeMs":3600000},
                 "broker":{"connected":true,"since":"%s","reconnects":0,"lastError":null%s}}
                """.formatted(Instant.now(), printerState, printerState, reason, message, Instant.now(), Instant.now(),
                Instant.now(), conflict == null ? "" : ",\"conflict\":\"" + conflict + "\""))
                .getBytes(StandardCharsets.UTF_8);
    }

    static void online(String site, String terminal, byte[] health) {
        hub.publish(topic(site, terminal, "state"), state(true, 1), 1, true);
        hub.publish(topic(site, terminal, "health"), health, 1, true);
    }

    static WebDriverWait waitUpTo(Duration d) {
        WebDriverWait w = new WebDriverWait(browser, d, Duration.ofMillis(20));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    static void freshPage() {
        browser.get(page.uri().toString());
        browser.manage().deleteAllCookies();
        browser.get(page.uri().toString());
    }

    static void signIn(String id) {
        WebElement staff = browser.findElement(By.id("staffId"));
        staff.clear();
        staff.sendKeys(id);
        browser.findElement(By.id("pin")).sendKeys("1234");
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
    }

    /** The rows as "site terminal", top to bottom. */
    static List<String> rows() {
        return browser.findElements(By.cssSelector("#fleet tbody tr")).stream()
                .map(r -> r.getAttribute("data-site") + " " + r.getAttribute("data-terminal")).toList();
    }

    static String row(String terminal) {
        return browser.findElement(By.cssSelector("#fleet tbody tr[data-terminal='" + terminal + "']")).getText();
    }

    @Test
    @Order(1)
    void aStaffMemberIsRefusedAndASupervisorMaySignIn() {
        freshPage();
        signIn("S1001");
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("signin-error")).getText()
                .contains("your role (staff) may not sign in here"));
        assertThat(browser.findElement(By.id("main-view")).isDisplayed()).isFalse();
        signIn("S9001");
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("who")).getText().contains("S9001"));
        browser.findElement(By.id("signout")).click();
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("signin-view")).isDisplayed());
    }

    @Test
    @Order(2)
    void aTechnicianSeesEveryTerminalTroubledOnesFirstAndTheDuplicateIdFlagged() throws Exception {
        freshPage();
        signIn("T0001");
        waitUpTo(Duration.ofSeconds(5)).until(d -> rows().size() == 5);
        List<String> rows = rows();
        assertThat(rows.subList(0, 2)).containsExactlyInAnyOrder(A + " t-0002", B + " t-0102");
        assertThat(rows.subList(2, 5)).containsExactly(A + " t-0001", A + " t-0003", B + " t-0101");
        assertThat(row("t-0002")).contains("设备 printer：卡片堵塞 (card stuck at the exit)");
        assertThat(row("t-0102")).contains("终端号被两台机器同时使用").contains("重复！");
        assertThat(browser.findElements(By.cssSelector("#fleet tr[data-terminal='t-0102'] .dup"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#fleet .dup"))).hasSize(1);
        assertThat(row("t-0001")).contains("在线").contains("正常");
        browser.findElement(By.id("lang")).click();
        waitUpTo(Duration.ofSeconds(2)).until(d -> row("t-0002").contains("Device printer: card jam"));
        assertThat(browser.findElement(By.id("summary")).getText())
                .isEqualTo("5 terminals, 2 with problems, 0 offline; showing 5");
        browser.findElement(By.id("lang")).click();
    }

    @Test
    @Order(3)
    void theSiteFilterNarrowsTheList() {
        new Select(browser.findElement(By.id("site"))).selectByValue(B);
        waitUpTo(Duration.ofSeconds(3)).until(d -> rows().equals(List.of(B + " t-0102", B + " t-0101")));
        new Select(browser.findElement(By.id("problem"))).selectByValue("any");
        waitUpTo(Duration.ofSeconds(3)).until(d -> rows().equals(List.of(B + " t-0102")));
        new Select(browser.findElement(By.id("site"))).selectByValue("");
        new Select(browser.findElement(By.id("problem"))).selectByValue("");
        waitUpTo(Duration.ofSeconds(3)).until(d -> rows().size() == 5);
    }

    @Test
    @Order(4)
    void aTerminalGoingOfflineShowsWithinSecondsWithoutReload() {
        assertThat(row("t-0003")).contains("在线");
        proxy.blackHole(true);
        proxy.cutAll();
        long t0 = System.nanoTime();
        waitUpTo(Duration.ofSeconds(5)).until(d -> row("t-0003").contains("离线：终端没有连接"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("fleet page: t-0003's will shown %.2f s after its link was cut%n", seconds);
        assertThat(rows().indexOf(A + " t-0003")).as("a troubled terminal moves up").isLessThan(3);
        assertThat(browser.findElement(By.id("summary")).getText()).contains("1 台离线");
    }

    @Test
    @Order(5)
    void aTerminalShowsItsDevicesAndAnEventPublishedAfterItWasOpened() throws Exception {
        assertThat(page.watched()).isZero();
        browser.findElement(By.cssSelector("#fleet tr[data-terminal='t-0002'] button.open")).click();
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("detail")).isDisplayed()
                && d.findElement(By.id("devices")).getText().contains("卡片堵塞"));
        assertThat(browser.findElement(By.id("devices")).getText()).contains("printer").contains("DEGRADED")
                .contains("card stuck at the exit").contains("encoder");
        assertThat(browser.findElement(By.id("supplies")).getText()).contains("ribbon: ok (480");
        assertThat(browser.findElement(By.id("detail-backlog")).getText()).startsWith("2");
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("events-note")).getText()
                .equals("打开此终端后还没有收到事件"));
        assertThat(page.watched()).as("events subscribed for the terminal shown only").isEqualTo(1);
        hub.publish(topic(A, "t-0002", "event/device"), ("""
                {"id":"0193a9f2-7c1e-7b3a-9c4d-000000000077","seq":77,"ts":"%s","type":"device.state",
                 "terminal":"t-0002","site":"%s","data":{"device":"printer","state":"DEGRADED","reason":"JAM"}}
                """.formatted(Instant.now(), A)).getBytes(StandardCharsets.UTF_8), 1, false);
        hub.publish(topic(A, "t-0001", "event/device"), ("""
                {"id":"0193a9f2-7c1e-7b3a-9c4d-000000000078","seq":78,"ts":"%s","type":"device.other",
                 "terminal":"t-0001","site":"%s","data":{"device":"printer"}}
                """.formatted(Instant.now(), A)).getBytes(StandardCharsets.UTF_8), 1, false);
        waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("events")).getText().contains("device.state"));
        assertThat(browser.findElement(By.id("events")).getText()).contains("77")
                .contains("device=printer, state=DEGRADED, reason=JAM").doesNotContain("device.other");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 2000));
        browser.executeScript("window.scrollTo(0, 0)");
        screenshot("fleet");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        browser.findElement(By.id("close-detail")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> page.watched() == 0);
    }

    static void screenshot(String name) throws Exception {
        File f = browser.getScreenshotAs(OutputType.FILE);
        Path dir = Path.of("target", "fleet-screens");
        Files.createDirectories(dir);
        Files.copy(f.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
