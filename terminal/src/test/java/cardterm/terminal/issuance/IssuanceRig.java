package cardterm.terminal.issuance;

import cardterm.terminal.testing.SecretFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cardterm.devices.chip.ChipProfile;
import cardterm.devices.chip.sim.CardFaults;
import cardterm.devices.chip.sim.SimulatedCard;
import cardterm.devices.chip.sim.SimulatedSam;
import cardterm.devices.testing.Pcscd;
import cardterm.devices.testing.VpcdSlot;
import cardterm.devices.printer.CardDestination;
import cardterm.devices.printer.sim.EclPrinterModel;
import cardterm.devices.printer.sim.EclPrinterModelListener;
import cardterm.devices.printer.sim.EclPrinterServer;
import cardterm.devices.testing.SocatPty;
import cardterm.terminal.contract.ContractSchemas;
import cardterm.terminal.contract.SignedCommand;
import cardterm.terminal.sim.DemoJobs;
import cardterm.terminal.testing.Mosquitto;
import cardterm.terminal.testing.MqttRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The world around a terminal under test, all real parts: pcscd with the simulated SAM in vpcd
 * reader 1 and a fresh simulated blank card put into vpcd reader 0 (the encoder) whenever the
 * printer simulator feeds one ({@code Sic}) and pulled when the card leaves the station; the ecl
 * printer simulator on a socat pty (or a loopback TCP port, which survives a terminal process
 * being killed); a mosquitto broker with a recorder on {@code cardterm/v1/#}; a config file for the
 * terminal; signed commands.
 */
final class IssuanceRig implements AutoCloseable {
    static final String SITE = "s-e2e";
    static final String TERMINAL = "t-e2e";
    static final String KEY = "issuance-rig-command-key-0123456789abcdef";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Logger log = LoggerFactory.getLogger(IssuanceRig.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 100);
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    final Path dir;
    final Path dataDir;
    final Path configFile;
    final Mosquitto broker;
    final MqttRecorder recorder;
    final EclPrinterServer printer;
    final VpcdSlot cardSlot = VpcdSlot.cardSlot();
    final VpcdSlot samSlot = VpcdSlot.samSlot();
    /** Every card fed into the encoder, in order. */
    final List<SimulatedCard> cards = new CopyOnWriteArrayList<>();
    private final SocatPty pty;
    private final String printerPort;
    private volatile CardFaults nextFaults = CardFaults.none();

    private IssuanceRig(Path dir, boolean overPty) throws IOException {
        this.dir = dir;
        this.dataDir = dir.resolve("data");
        Pcscd.ensureRunning();
        insertWithRetry(samSlot, SimulatedSam.withTestKey());
        this.broker = Mosquitto.startPlain();
        this.recorder = MqttRecorder.start(broker.uri(), "cardterm/v1/#");
        EclPrinterModel core = new EclPrinterModel(EclPrinterModel.Settings.colour().withFeeder(500),
                EclPrinterModel.Timings.realistic());
        this.printer = new EclPrinterServer(core, 0);
        this.printer.addListener(new CardPath());
        String port;
        if (overPty) {
            this.pty = SocatPty.start();
            printer.servePath(pty.devicePath());
            port = pty.hostPath().toString();
        } else {
            this.pty = null;
            port = "tcp://127.0.0.1:" + printer.serveTcp(InetAddress.getLoopbackAddress(), 0).port();
        }
        SecretFiles.write(dir.resolve("command.key"), KEY + "\n");
        this.printerPort = port;
        this.configFile = writeConfig(dataDir);
    }

    /** Writes a config file for a terminal with its data in {@code dataDir}; returns its path. */
    Path writeConfig(Path dataDir) throws IOException {
        Path file = dir.resolve("terminal-" + dataDir.getFileName() + ".yaml");
        Files.writeString(file, """
                terminal:
                  id: %s
                  site: %s
                  dataDir: %s
                  timeZone: Asia/Shanghai
                hub:
                  uri: %s
                  commandKeyFile: %s
                  reconnect:
                    initialDelay: 100ms
                    maxDelay: 1s
                reader:
                  card: "%s"
                  sam: "%s"
                printer:
                  port: %s
                  pollInterval: 5s
                  timeouts:
                    query: 2s
                    mechanical: 20s
                gpio:
                  provider: mock
                posts:
                  - name: hall
                    a: [S1001, S1024]
                    b: [S2001]
                supervisors: [S9001]
                buttons:
                  - id: call-1
                    pin: 17
                    location: counter
                    post: hall
                    lamp:
                      pin: 27
                    buzzer:
                      pin: 22
                issuance:
                  promisedDuration: 10m
                logging:
                  level: INFO
                """.formatted(TERMINAL, SITE, dataDir, broker.uri(), dir.resolve("command.key"), VpcdSlot.CARD_READER,
                VpcdSlot.SAM_READER, printerPort));
        return file;
    }


    /** Starts the rig in {@code dir}; the printer on a socat pty ({@code overPty}) or a loopback TCP port. */
    static IssuanceRig start(Path dir, boolean overPty) throws IOException {
        return new IssuanceRig(dir, overPty);
    }

    /** The next card fed gets these faults (once). */
    void nextCardFaults(CardFaults faults) {
        nextFaults = faults;
    }

    /** Today at the terminal. */
    static LocalDate today() {
        return LocalDate.now(ZONE);
    }

    /** The args of an issue job for a citizen of {@code age}. */
    static ObjectNode job(String jobId, int age, boolean optOut) {
        return DemoJobs.job(jobId, "S1024", age, optOut, today(), Math.floorMod(jobId.hashCode(), 10_000));
    }

    /** Sends a signed command; returns its request id. */
    String send(String name, ObjectNode args) {
        String requestId = "R-" + System.nanoTime() + "-" + REQUESTS.incrementAndGet();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("requestId", requestId);
        body.put("issuedAt", Instant.now().toString());
        body.put("terminal", TERMINAL);
        body.put("name", name);
        body.set("args", args);
        String text = body.toString();
        recorder.publish(topic("cmd/" + name), SignedCommand.signed(KEY, text), 1, false);
        return requestId;
    }

    /** Waits for the reply to {@code requestId}. */
    JsonNode reply(String requestId) {
        return await("reply to " + requestId).atMost(Duration.ofSeconds(20)).until(() -> recorder.on(topic("reply"))
                .stream().map(MqttRecorder.Message::json).filter(j -> requestId.equals(j.path("requestId").asText()))
                .findFirst(), Optional::isPresent).get();
    }

    static String topic(String suffix) {
        return "cardterm/v1/" + SITE + "/" + TERMINAL + "/" + suffix;
    }

    /** The data of every event of {@code type} about {@code jobId}, in order of arrival. */
    /** The distinct event ids of {@code type} events about {@code jobId} (a repeat has its first's id). */
    java.util.Set<String> eventIds(String type, String jobId) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (MqttRecorder.Message m : recorder.messages(m -> m.topic().contains("/event/"))) {
            JsonNode e = m.json();
            if (e.path("type").asText().equals(type) && jobId.equals(e.path("data").path("jobId").asText())) {
                ids.add(e.path("id").asText());
            }
        }
        return ids;
    }

    List<JsonNode> events(String type, String jobId) {
        List<JsonNode> out = new ArrayList<>();
        for (MqttRecorder.Message m : recorder.messages(m -> m.topic().contains("/event/"))) {
            JsonNode e = m.json();
            if (e.path("type").asText().equals(type) && (jobId == null || jobId.equals(e.path("data").path("jobId")
                    .asText(e.path("data").path("subject").asText())))) {
                out.add(e.path("data"));
            }
        }
        return out;
    }

    /** Waits for the job's issuance.completed or issuance.failed; returns its type and data. */
    JsonNode awaitEnd(String jobId, String type) {
        return await(jobId + " " + type).atMost(Duration.ofSeconds(60)).until(() -> events(type, jobId).stream().findFirst(),
                Optional::isPresent).get();
    }

    /**
     * Every message the terminal published so far keeps the contract (commands the test sent are
     * not the terminal's), and none holds personal data (a full ID number or a name).
     */
    void assertEveryMessageKeepsTheContract() {
        List<String> problems = new ArrayList<>();
        for (MqttRecorder.Message m : recorder.messages()) {
            if (m.topic().contains("/cmd/")) {
                continue;
            }
            String text = new String(m.payload(), StandardCharsets.UTF_8);
            if (text.matches("(?s).*[0-9]{17}[0-9X].*") || text.matches("(?s).*(张三|李四|王五|赵六|陈晓明|林小红).*")) {
                problems.add(m.topic() + ": personal data (an ID number or a name) in a published message");
            }
            for (String p : ContractSchemas.validate(m.topic(), m.payload())) {
                problems.add(m.topic() + ": " + p + " in " + text.replaceAll("\"(idNumber|name)\":\"[^\"]*\"", "\"$1\":\"...\""));
            }
        }
        assertThat(problems).isEmpty();
    }

    private static void insertWithRetry(VpcdSlot slot, cardterm.devices.chip.sim.VirtualCard card) {
        // another helper may hold a vpcd port for a moment: wait and try again rather than fail at once
        await(slot.readerName() + " to take a card").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    slot.insertAndWait(card);
                    return true;
                });
    }

    /** Follows the card: a fresh blank card in the encoder while one is in the station. */
    private final class CardPath implements EclPrinterModelListener {
        @Override
        public void cardEnteredStation() {
            byte[] id = ByteBuffer.allocate(16).put(ChipProfile.REGION_WENZHOU).put(new byte[5])
                    .putLong(SERIAL.incrementAndGet()).array();
            CardFaults f = nextFaults;
            nextFaults = CardFaults.none();
            SimulatedCard card = new SimulatedCard(id, f);
            cards.add(card);
            try {
                cardSlot.insertAndWait(card);
            } catch (RuntimeException e) {
                log.warn("rig: card not inserted: {}", e.toString());
            }
        }

        @Override
        public void cardLeftStation(CardDestination destination) {
            try {
                cardSlot.removeAndWait();
            } catch (RuntimeException e) {
                log.warn("rig: card not removed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(recorder);
        closeQuietly(printer);
        if (pty != null) {
            closeQuietly(pty);
        }
        closeQuietly(broker);
        try {
            cardSlot.removeAndWait();
        } catch (RuntimeException e) {
            log.debug("rig close: {}", e.toString());
        }
        try {
            samSlot.removeAndWait();
        } catch (RuntimeException e) {
            log.debug("rig close: {}", e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("rig close: {}", e.toString());
        }
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
