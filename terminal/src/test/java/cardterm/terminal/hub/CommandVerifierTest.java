package cardterm.terminal.hub;

import cardterm.terminal.command.CommandRequest;
import cardterm.terminal.event.HubTime;
import static org.assertj.core.api.Assertions.assertThat;

import cardterm.terminal.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CommandVerifierTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef-key".getBytes(StandardCharsets.UTF_8);
    final TestClock clock = TestClock.shanghai();
    final CommandVerifier verifier = new CommandVerifier("t-0042", KEY, clock, 3);

    String body(String requestId, String issuedAt, String terminal, String name, String args) {
        return "{\"requestId\":\"" + requestId + "\",\"issuedAt\":\"" + issuedAt + "\",\"terminal\":\"" + terminal
                + "\",\"name\":\"" + name + "\",\"args\":" + args + "}";
    }

    String now() {
        return HubTime.format(HubTime.now(clock));
    }

    CommandVerifier.Refused refused(CommandVerifier.Verdict v) {
        assertThat(v).isInstanceOf(CommandVerifier.Refused.class);
        return (CommandVerifier.Refused) v;
    }

    @Test
    void acceptsASignedFreshCommandForThisTerminal() {
        String body = body("r-1", now(), "t-0042", "call-ack", "{\"callId\":\"C-1\",\"staffId\":\"S1\"}");
        CommandVerifier.Verdict v = verifier.verify("call-ack", CommandVerifier.sign(KEY, body));
        assertThat(v).isInstanceOf(CommandVerifier.Accepted.class);
        CommandRequest r = ((CommandVerifier.Accepted) v).request();
        assertThat(r.requestId()).isEqualTo("r-1");
        assertThat(r.name()).isEqualTo("call-ack");
        assertThat(r.issuedAt()).isEqualTo(clock.instant());
        assertThat(r.args().get("callId").asText()).isEqualTo("C-1");
    }

    @Test
    void unauthenticatedWithoutSignatureWithWrongSignatureOrWithoutKey() {
        String body = body("r-1", now(), "t-0042", "rebirth", "{}");
        byte[] unsigned = ("{\"body\":" + Rig.JSON.valueToTree(body) + "}").getBytes(StandardCharsets.UTF_8);
        CommandVerifier.Refused r = refused(verifier.verify("rebirth", unsigned));
        assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(r.requestId()).isEqualTo("r-1"); // echoed for the hub, not trusted

        byte[] otherKey = CommandVerifier.sign("another-key-another-key-another-key!".getBytes(StandardCharsets.UTF_8),
                body);
        assertThat(refused(verifier.verify("rebirth", otherKey)).code()).isEqualTo("UNAUTHENTICATED");

        byte[] notBase64 = ("{\"body\":" + Rig.JSON.valueToTree(body) + ",\"sig\":\"***\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(refused(verifier.verify("rebirth", notBase64)).message()).contains("base64");

        // the signature covers the body exactly: one changed byte fails it
        byte[] signed = CommandVerifier.sign(KEY, body);
        String sig = Rig.JSON.valueToTree(new String(signed, StandardCharsets.UTF_8)).asText();
        String tampered = new String(signed, StandardCharsets.UTF_8).replace("rebirth", "diagnose");
        assertThat(refused(verifier.verify("diagnose", tampered.getBytes(StandardCharsets.UTF_8))).code())
                .isEqualTo("UNAUTHENTICATED");
        assertThat(sig).isNotEmpty();

        CommandVerifier keyless = new CommandVerifier("t-0042", null, clock);
        assertThat(refused(keyless.verify("rebirth", CommandVerifier.sign(KEY, body))).message())
                .contains("no command key");
    }

    @Test
    void misdirectedForAnotherTerminalOrAnotherNameThanTheTopic() {
        CommandVerifier.Refused other = refused(verifier.verify("rebirth",
                CommandVerifier.sign(KEY, body("r-1", now(), "t-0043", "rebirth", "{}"))));
        assertThat(other.code()).isEqualTo("MISDIRECTED");
        assertThat(other.problems()).containsExactly("terminal: addressed to another terminal");

        CommandVerifier.Refused both = refused(verifier.verify("rebirth",
                CommandVerifier.sign(KEY, body("r-2", now(), "t-0043", "issue", "{}"))));
        assertThat(both.code()).isEqualTo("MISDIRECTED");
        assertThat(both.problems()).hasSize(2);
    }

    @Test
    void replayedWhenIssuedMoreThan300sAwayOrWhenTheRequestIdWasSeenWithAnotherBody() {
        String old = HubTime.format(HubTime.now(clock).minusSeconds(301));
        assertThat(refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("r-1", old, "t-0042", "rebirth",
                "{}")))).code()).isEqualTo("REPLAYED");
        String future = HubTime.format(HubTime.now(clock).plusSeconds(301));
        assertThat(refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("r-2", future, "t-0042",
                "rebirth", "{}")))).code()).isEqualTo("REPLAYED");
        String edge = HubTime.format(HubTime.now(clock).minusSeconds(300));
        assertThat(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("r-3", edge, "t-0042", "rebirth",
                "{}")))).isInstanceOf(CommandVerifier.Accepted.class);

        byte[] once = CommandVerifier.sign(KEY, body("r-4", now(), "t-0042", "rebirth", "{}"));
        assertThat(verifier.verify("rebirth", once)).isInstanceOf(CommandVerifier.Accepted.class);
        // the very same body again is a repeat (answered from the stored reply, never run twice)
        CommandVerifier.Verdict again = verifier.verify("rebirth", once);
        assertThat(again).isInstanceOf(CommandVerifier.Repeat.class);
        assertThat(((CommandVerifier.Repeat) again).request().requestId()).isEqualTo("r-4");
        // a new body with the same id, within 10 minutes: still a replay
        clock.advance(Duration.ofMinutes(9));
        assertThat(refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("r-4", now(), "t-0042",
                "rebirth", "{}")))).code()).isEqualTo("REPLAYED");
        // after 10 minutes the id is forgotten (and an old body would be refused by its time anyway)
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("r-4", now(), "t-0042", "rebirth",
                "{}")))).isInstanceOf(CommandVerifier.Accepted.class);
    }

    @Test
    void theMemoryOfRequestIdsIsBoundedAndNeverForgetsEarly() {
        for (int i = 0; i < 3; i++) {
            assertThat(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("r-" + i, now(), "t-0042", "rebirth",
                    "{}")))).isInstanceOf(CommandVerifier.Accepted.class);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(verifier.remembered()).isEqualTo(3);
        CommandVerifier.Refused busy = refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("r-9", now(),
                "t-0042", "rebirth", "{}"))));
        assertThat(busy.code()).isEqualTo("BUSY");
        // r-0 is still remembered, so its replay is refused as such
        assertThat(refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("r-0", now(), "t-0042",
                "rebirth", "{}")))).code()).isEqualTo("REPLAYED");
        clock.advance(Duration.ofMinutes(8)); // r-0 is 11 minutes old now
        assertThat(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("r-9", now(), "t-0042", "rebirth",
                "{}")))).isInstanceOf(CommandVerifier.Accepted.class);
        assertThat(verifier.remembered()).isEqualTo(3);
    }

    @Test
    void invalidListsEveryProblemAtOnce() {
        String body = "{\"requestId\":\"\",\"issuedAt\":\"yesterday\",\"args\":[1]}";
        CommandVerifier.Refused r = refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, body)));
        assertThat(r.code()).isEqualTo("INVALID");
        assertThat(r.problems()).hasSize(5).anyMatch(p -> p.startsWith("requestId"))
                .anyMatch(p -> p.startsWith("issuedAt")).anyMatch(p -> p.startsWith("terminal"))
                .anyMatch(p -> p.startsWith("name")).anyMatch(p -> p.startsWith("args"));

        assertThat(refused(verifier.verify("rebirth", "not json".getBytes(StandardCharsets.UTF_8))).code())
                .isEqualTo("INVALID");
        assertThat(refused(verifier.verify("rebirth", "{\"sig\":\"AA==\"}".getBytes(StandardCharsets.UTF_8)))
                .code()).isEqualTo("INVALID");
        assertThat(refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, "[1,2]"))).code())
                .isEqualTo("INVALID");
        // duplicate keys are not guessed at
        String dup = "{\"requestId\":\"a\",\"requestId\":\"b\",\"issuedAt\":\"" + now()
                + "\",\"terminal\":\"t-0042\",\"name\":\"rebirth\",\"args\":{}}";
        assertThat(refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, dup))).code()).isEqualTo("INVALID");
    }

    @Test
    void signsAsTheContractSays() throws Exception {
        String body = "{\"x\":\"张三\"}";
        byte[] payload = CommandVerifier.sign(KEY, body);
        var n = Rig.JSON.readTree(payload);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
        assertThat(n.get("body").asText()).isEqualTo(body);
        assertThat(Base64.getDecoder().decode(n.get("sig").asText()))
                .isEqualTo(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRequestIdOutsideTheContractsCharsetIsRefusedWithNullIdAndShownEscaped() {
        // the body as JSON text, so \\u escapes reach the parser as the hub wrote them
        String[][] cases = { // as written in the body's JSON, as shown in the problem, the parsed length
            {"R-\\u0000-1", "R-\\u0000-1", "5"},
            {"R-\\u001b[2J", "R-\\u001b[2J", "6"},
            {"R-\\u0007", "R-\\u0007", "3"},
            {"R-\\ud800", "R-\\ud800", "3"},
            {"R 1", "R 1", "3"},
            {"张三", "张三", "2"},
            {"", "", "0"},
        };
        for (String[] c : cases) {
            String body = body(c[0], now(), "t-0042", "rebirth", "{}");
            CommandVerifier.Refused r = refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, body)));
            assertThat(r.code()).as(c[0]).isEqualTo("INVALID");
            assertThat(r.requestId()).as(c[0]).isNull();
            assertThat(r.problems()).as(c[0]).containsExactly("requestId: must be 1-64 characters of A-Z a-z 0-9 . _ : -, "
                    + "got '" + c[1] + "' (" + c[2] + " characters); the reply's requestId is null");
        }
        String longest = "a".repeat(64);
        assertThat(verifier.verify("rebirth", CommandVerifier.sign(KEY, body(longest, now(), "t-0042", "rebirth",
                "{}")))).isInstanceOf(CommandVerifier.Accepted.class);
        assertThat(verifier.verify("rebirth", CommandVerifier.sign(KEY, body("Az09._:-", now(), "t-0042", "rebirth",
                "{}")))).isInstanceOf(CommandVerifier.Accepted.class);
        CommandVerifier.Refused tooLong = refused(verifier.verify("rebirth", CommandVerifier.sign(KEY,
                body("a".repeat(65), now(), "t-0042", "rebirth", "{}"))));
        assertThat(tooLong.requestId()).isNull();
        assertThat(tooLong.problems()).singleElement().asString().contains("(65 characters)");
    }

    @Test
    void anUnsignedOrMisdirectedCommandWithABadIdIsNotEchoedEither() {
        String body = body("R-\\u001b", now(), "t-0043", "rebirth", "{}");
        CommandVerifier.Refused misdirected = refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, body)));
        assertThat(misdirected.code()).isEqualTo("MISDIRECTED");
        assertThat(misdirected.requestId()).isNull();
        assertThat(misdirected.problems()).anyMatch(p -> p.startsWith("requestId: ") && p.contains("'R-\\u001b'"));
        byte[] unsigned = ("{\"body\":" + Rig.JSON.valueToTree(body) + "}").getBytes(StandardCharsets.UTF_8);
        CommandVerifier.Refused u = refused(verifier.verify("rebirth", unsigned));
        assertThat(u.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(u.requestId()).isNull();
        // a command name from outside is shown escaped
        String named = body("R-1", now(), "t-0042", "re\\u0007birth", "{}");
        CommandVerifier.Refused n = refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, named)));
        assertThat(n.name()).isEqualTo("re\\u0007birth");
        assertThat(n.requestId()).isEqualTo("R-1");
    }

    @Test
    void aBodyOfMoreThan256KiBIsRefusedBeforeItIsParsed() {
        String filler = "x".repeat(CommandVerifier.MAX_BODY_BYTES);
        String big = body("R-big", now(), "t-0042", "rebirth", "{\"pad\":\"" + filler + "\"}");
        CommandVerifier.Refused r = refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, big)));
        assertThat(r.code()).isEqualTo("INVALID");
        assertThat(r.requestId()).as("not parsed, so not known").isNull();
        assertThat(r.problems()).containsExactly("body: more than 262144 bytes (" + big.length() + " characters)");
        // 256 KiB counts UTF-8 bytes: 100,000 CJK characters are 300,000 bytes
        String cjk = body("R-cjk", now(), "t-0042", "rebirth", "{\"pad\":\"" + "张".repeat(100_000) + "\"}");
        assertThat(refused(verifier.verify("rebirth", CommandVerifier.sign(KEY, cjk))).problems()).containsExactly(
                "body: more than 262144 bytes (" + cjk.getBytes(StandardCharsets.UTF_8).length + " bytes)");
        // a 10 MB payload is not even parsed as JSON
        byte[] huge = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) '[');
        CommandVerifier.Refused h = refused(verifier.verify("rebirth", huge));
        assertThat(h.code()).isEqualTo("INVALID");
        assertThat(h.problems()).containsExactly("body: the payload has 10485760 bytes; a body has at most 262144");
        // just within the cap: accepted
        String fits = body("R-fits", now(), "t-0042", "rebirth", "{\"pad\":\"\"}");
        String pad = "y".repeat(CommandVerifier.MAX_BODY_BYTES - fits.length());
        assertThat(verifier.verify("rebirth", CommandVerifier.sign(KEY, fits.replace("\"pad\":\"\"", "\"pad\":\"" + pad + "\""))))
                .isInstanceOf(CommandVerifier.Accepted.class);
    }
}
