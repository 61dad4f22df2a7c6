package cardterm.terminal.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.terminal.audit.AuditEntry;
import cardterm.terminal.config.TerminalConfig;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.contract.SignedCommand;
import cardterm.terminal.sim.ConsoleWatcher;
import cardterm.terminal.sim.SimulatedTerminal;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Strings from the hub that are hostile to terminals and logs (NUL, ESC, BEL, lone surrogates, a
 * bidirectional override, 10 MB), sent signed through a real mosquitto to a simulated terminal:
 * the reply still reaches the hub in a form it can match (requestId null, the problem showing the
 * bad id escaped), and nothing of them reaches the console, the logs, the audit events or the
 * audit chain raw, or whole when long.
 */
class HostileHubTextEndToEndTest {
    private static final String ROOT = "cardterm/v1/sim/sim-01/";

    @TempDir
    Path work;

    private Mosquitto broker;
    private MqttRecorder hub;
    private SimulatedTerminal sim;
    private ConsoleWatcher watcher;
    private String key;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level cardtermLevel;

    @BeforeEach
    void start() throws Exception {
        Logger cardterm = (Logger) LoggerFactory.getLogger("cardterm");
        cardtermLevel = cardterm.getLevel();
        cardterm.setLevel(Level.DEBUG);
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);

        broker = Mosquitto.startPlain();
        hub = MqttRecorder.start(broker.uri(), "cardterm/v1/#");
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        TerminalConfig config = TerminalConfig.forSimulation(work.resolve("data"), broker.uri());
        watcher = ConsoleWatcher.start(broker.uri(), ROOT.substring(0, ROOT.length() - 1), out);
        sim = SimulatedTerminal.start(config, work, out, 0, Clock.system(config.terminal().timeZone()), "test");
        key = Files.readString(config.hub().commandKeyFile(), StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.on(ROOT + "state").stream()
                .anyMatch(m -> m.json().path("online").asBoolean()));
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        hub.close();
        broker.close();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("cardterm")).setLevel(cardtermLevel);
    }

    /** A body whose requestId and name are JSON text as the hub wrote it (escapes included). */
    private static String body(String requestIdJson, String nameJson, String argsJson) {
        return "{\"requestId\":\"" + requestIdJson + "\",\"issuedAt\":\"" + OffsetDateTime.now()
                + "\",\"terminal\":\"sim-01\",\"name\":\"" + nameJson + "\",\"args\":" + argsJson + "}";
    }

    private void send(String topicName, String body) {
        hub.publish(ROOT + "cmd/" + topicName, SignedCommand.signed(key, body), 1, false);
    }

    /** The reply (raw) whose requestId is null and one of whose problems contains {@code marker}. */
    private MqttRecorder.Message replyNaming(String marker) {
        await().atMost(Duration.ofSeconds(15)).until(() -> findReply(marker).isPresent());
        return findReply(marker).get();
    }

    private Optional<MqttRecorder.Message> findReply(String marker) {
        return hub.on(ROOT + "reply").stream().filter(m -> {
            JsonNode r = m.json();
            if (!r.path("requestId").isNull()) {
                return false;
            }
            for (JsonNode p : r.path("error").path("problems")) {
                if (p.path("message").asText().contains(marker)) {
                    return true;
                }
            }
            return false;
        }).findFirst();
    }

    private JsonNode replyTo(String requestId) {
        await().atMost(Duration.ofSeconds(15)).until(() -> hub.on(ROOT + "reply").stream()
                .anyMatch(m -> requestId.equals(m.json().path("requestId").asText(null))));
        return hub.on(ROOT + "reply").stream().map(MqttRecorder.Message::json)
                .filter(r -> requestId.equals(r.path("requestId").asText(null))).findFirst().orElseThrow();
    }

    private List<JsonNode> events(String type) {
        return hub.messages(m -> m.topic().startsWith(ROOT + "event/") && type.equals(m.json().path("type").asText()))
                .stream().map(m -> m.json().path("data")).toList();
    }

    @Test
    void requestIdsWithControlCharactersOrLoneSurrogatesAreRefusedMatchablyAndNeverShownRaw() throws Exception {
        String[][] ids = { // as the hub writes it in the body's JSON, as the terminal shows it
            {"R-\\u0000-nul", "R-\\u0000-nul"},
            {"R-\\u001b[31m-esc", "R-\\u001b[31m-esc"},
            {"R-\\u0007-bel", "R-\\u0007-bel"},
            {"R-\\ud800-high", "R-\\ud800-high"},
            {"R-\\udc00-low", "R-\\udc00-low"},
        };
        for (String[] id : ids) {
            send("rebirth", body(id[0], "rebirth", "{}"));
        }
        for (String[] id : ids) {
            MqttRecorder.Message m = replyNaming("'" + id[1] + "'");
            String raw = strictUtf8(m.payload());
            assertNothingRaw("reply to " + id[1], raw);
            JsonNode r = m.json();
            assertThat(r.path("ok").asBoolean()).isFalse();
            assertThat(r.at("/error/code").asText()).isEqualTo("INVALID");
            assertThat(r.at("/error/problems/0/field").asText()).isEqualTo("requestId");
            assertThat(r.at("/error/problems/0/message").asText()).isEqualTo(
                    "must be 1-64 characters of A-Z a-z 0-9 . _ : -, got '" + id[1] + "' ("
                            + (id[1].length() - 5) + " characters); the reply's requestId is null");
        }
        // the hub also hears of each as an audit event, with requestId null and the id shown escaped
        await().atMost(Duration.ofSeconds(10)).until(() -> events("audit.command.refused").size() >= ids.length);
        for (String[] id : ids) {
            assertThat(events("audit.command.refused")).anySatisfy(e -> {
                assertThat(e.path("requestId").isNull()).isTrue();
                assertThat(e.path("problems").toString()).contains(id[1].replace("\\", "\\\\"));
            });
        }
        // the console showed each reply, escaped
        await().atMost(Duration.ofSeconds(10)).until(() -> consoleText().split("reply    null ok=false INVALID", -1).length
                > ids.length);
        assertNothingRawAnywhere();
        assertEverythingKeptTheContract();
    }

    @Test
    void tenMegabytesOfRequestIdAreRefusedUnparsedAndNeverCopied() throws Exception {
        String huge = "x".repeat(10 * 1024 * 1024);
        send("rebirth", body(huge, "rebirth", "{}"));
        String big = "y".repeat(300 * 1024);
        send("rebirth", body(big, "rebirth", "{}"));

        JsonNode r1 = replyNaming("the payload has").json();
        assertThat(r1.at("/error/code").asText()).isEqualTo("INVALID");
        assertThat(r1.at("/error/problems/0/message").asText()).matches(
                "the payload has 10\\d{6} bytes; a body has at most 262144");
        JsonNode r2 = replyNaming("more than 262144 bytes").json();
        assertThat(r2.at("/error/problems/0/message").asText()).isEqualTo(
                "more than 262144 bytes (" + body(big, "rebirth", "{}").length() + " characters)");

        await().atMost(Duration.ofSeconds(10)).until(() -> consoleText().split("reply    null ok=false INVALID", -1).length
                > 2);
        assertThat(consoleText().length()).as("the console got no copy of them").isLessThan(64 * 1024);
        assertThat(logText().length()).as("the log got no copy of them").isLessThan(256 * 1024);
        assertThat(logText()).doesNotContain("xxxxxxxxxxxxxxxx").doesNotContain("yyyyyyyyyyyyyyyy");
        assertEverythingKeptTheContract();
    }

    @Test
    void hostileArgsAndCommandNamesReachTheAuditChainAndTheConsoleOnlyEscaped() throws Exception {
        // a well-formed command whose args quote control characters: it runs (and fails), and is audited
        send("cancel", body("R-cancel", "cancel", "{\"jobId\":\"J-\\u001b[2J\\u0007\\u0000\",\"staffId\":\"S1001\"}"));
        JsonNode cancel = replyTo("R-cancel");
        assertThat(cancel.at("/error/code").asText()).isEqualTo("UNKNOWN_JOB");
        assertThat(cancel.at("/error/message").asText()).isEqualTo("no job J-\\u001b[2J\\u0007\\u0000 is queued or running");
        send("log-level", body("R-log", "log-level", "{\"logger\":\"cardterm\\u001b]0;owned\\u0007\",\"level\":\"DEBUG\"}"));
        assertThat(replyTo("R-log").at("/error/code").asText()).isEqualTo("INVALID");
        // a command name with a bidirectional override (mosquitto takes it in a topic): unknown, shown escaped
        send("re\u202ebirth", body("R-name", "re\\u202ebirth", "{}"));
        JsonNode named = replyTo("R-name");
        assertThat(named.at("/error/problems/0/message").asText()).startsWith("no command re\\u202ebirth on this terminal");
        await().atMost(Duration.ofSeconds(10)).until(() -> events("audit.command.refused").stream()
                .anyMatch(e -> e.path("requestId").asText().equals("R-name")));
        assertThat(events("audit.command.refused")).filteredOn(e -> e.path("requestId").asText().equals("R-name"))
                .singleElement().satisfies(e -> assertThat(e.path("name").isNull()).as("not a well-formed name").isTrue());

        List<AuditEntry> chain = sim.terminal().audit().read(1, sim.terminal().audit().lastSeq());
        AuditEntry cancelled = chain.stream().filter(e -> e.subject().equals("R-cancel")).findFirst().orElseThrow();
        assertThat(cancelled.detail().path("jobId").asText()).isEqualTo("J-\\u001b[2J\\u0007\\u0000");
        AuditEntry logLevel = chain.stream().filter(e -> e.subject().equals("R-log")).findFirst().orElseThrow();
        assertThat(logLevel.detail().path("logger").asText()).isEqualTo("cardterm\\u001b]0;owned\\u0007");
        for (AuditEntry e : chain) {
            assertNothingRaw("audit entry " + e.seq(), e.subject() + " " + e.detail());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> consoleText().contains("re\\u202ebirth"));
        assertNothingRawAnywhere();
        assertEverythingKeptTheContract();
    }

    // ---------------------------------------------------------------------------------------

    private String consoleText() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private String logText() {
        StringBuilder b = new StringBuilder();
        List<ILoggingEvent> events;
        synchronized (logs) { // the appender appends under its own lock
            events = List.copyOf(logs.list);
        }
        for (ILoggingEvent e : events) {
            b.append(e.getFormattedMessage()).append('\n');
            for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                b.append(t.getMessage()).append('\n');
            }
        }
        return b.toString();
    }

    /** Console, logs, and every message the terminal published (events, replies). */
    private void assertNothingRawAnywhere() throws Exception {
        assertNothingRaw("console", consoleText());
        assertNothingRaw("log", logText());
        for (MqttRecorder.Message m : hub.messages()) {
            if (!m.topic().contains("/cmd/")) {
                assertNothingRaw(m.topic(), strictUtf8(m.payload()));
                assertNothingRaw(m.topic() + " (parsed)", m.json().toString());
            }
        }
    }

    /** No NUL, BEL, ESC, bidirectional override or lone surrogate in {@code text}. */
    private static void assertNothingRaw(String where, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                i++;
                continue;
            }
            assertThat(c == '\u0000' || c == '\u0007' || c == '\u001b' || c == '\u202e' || Character.isSurrogate(c))
                    .as("%s holds U+%04X raw at %d: %s", where, (int) c, i,
                            text.substring(Math.max(0, i - 40), Math.min(text.length(), i + 40)))
                    .isFalse();
        }
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private void assertEverythingKeptTheContract() {
        List<String> violations = hub.messages().stream()
                .filter(m -> !m.topic().contains("/cmd/"))
                .flatMap(m -> ContractSchemas.validate(m.topic(), m.payload()).stream()
                        .map(e -> m.topic().substring(ROOT.length()) + " " + m.json().path("type").asText() + ": " + e))
                .distinct().toList();
        assertThat(violations).isEmpty();
    }
}
