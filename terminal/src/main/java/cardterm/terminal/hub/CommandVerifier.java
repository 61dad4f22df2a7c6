package cardterm.terminal.hub;

import cardterm.terminal.command.CommandRequest;
import cardterm.devices.check.Problems;
import cardterm.terminal.command.ReplyCode;
import cardterm.terminal.event.SafeText;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a command as hub-contract.md says, before anything acts on it: signature
 * ({@code UNAUTHENTICATED}), addressee and name ({@code MISDIRECTED}), shape ({@code INVALID},
 * every problem listed), freshness and repeats ({@code REPLAYED}). The signature is checked first
 * and nothing of an unsigned body is trusted.
 *
 * <p>Pure but for the memory of request ids seen in the last 10 minutes, which is bounded: when it
 * is full of ids younger than that, new commands are refused as {@code BUSY} rather than forgetting
 * ids early (which would let a replay through). Time comes from the injected clock. Thread-safe.
 */
public final class CommandVerifier {
    public static final String UNAUTHENTICATED = ReplyCode.UNAUTHENTICATED;
    public static final String MISDIRECTED = ReplyCode.MISDIRECTED;
    public static final String REPLAYED = ReplyCode.REPLAYED;
    public static final String INVALID = ReplyCode.INVALID;
    public static final String BUSY = ReplyCode.BUSY;

    /** Commands issued further than this from the terminal's clock are refused. */
    public static final Duration MAX_SKEW = Duration.ofSeconds(300);
    /** Request ids are remembered this long. */
    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_REMEMBERED = 10_000;
    /** Longest request id accepted. */
    public static final int MAX_REQUEST_ID = 64;
    /** A request id as the contract allows it: 1-64 characters of {@code A-Z a-z 0-9 . _ : -}. */
    public static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_REQUEST_ID + "}");
    /** Largest body accepted, in UTF-8 bytes; a larger one is refused before it is parsed. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /**
     * Largest payload looked at: the body written as a JSON string (at most 6 bytes per byte, for
     * <code>&#92;u0000</code> escapes) and the envelope around it. A larger one is refused unparsed.
     */
    public static final int MAX_PAYLOAD_BYTES = 6 * MAX_BODY_BYTES + 1024;
    /** Longest command name quoted in a reply, the audit trail or a log line. */
    private static final int MAX_NAME_SHOWN = 64;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The outcome of a check. */
    public sealed interface Verdict {}

    /** Passed every check; the request id is now remembered (received, its effect to come). */
    public record Accepted(CommandRequest request) implements Verdict {}

    /**
     * A repeat of a command seen in the window with this very body (the hub sent it again, or the
     * broker delivered it again after a restart): no second effect. {@code reply} is the stored
     * reply; empty when the terminal stopped before storing it, so whether the first delivery took
     * effect must be found out ({@link cardterm.terminal.command.CommandDispatcher#recover}).
     */
    public record Repeat(CommandRequest request, Optional<byte[]> reply) implements Verdict {}

    /**
     * Refused: the reply's error. {@code requestId} and {@code name} are what the body said when it
     * could be read (for the reply and the audit event), else null.
     */
    public record Refused(String code, String message, List<String> problems, String requestId, String name)
            implements Verdict {
        public Refused {
            Objects.requireNonNull(code, "code");
            problems = List.copyOf(problems);
        }
    }

    private final String terminal;
    private final byte[] key;
    private final Clock clock;
    private final int maxRemembered;
    private final RequestMemory memory;

    /**
     * @param terminal this terminal's id
     * @param key the HMAC key bytes, or null when none is configured (every command is refused)
     * @param clock the terminal's clock
     * @param maxRemembered the most request ids remembered at once
     */
    public CommandVerifier(String terminal, byte[] key, Clock clock, int maxRemembered, RequestMemory memory) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.key = key == null ? null : key.clone();
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxRemembered < 1) {
            throw new IllegalArgumentException("maxRemembered must be positive");
        }
        this.maxRemembered = maxRemembered;
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    /** With a memory of request ids held in this process only (tools, tests). */
    public CommandVerifier(String terminal, byte[] key, Clock clock, int maxRemembered) {
        this(terminal, key, clock, maxRemembered, RequestMemory.inMemory(clock, REPLAY_WINDOW));
    }

    public CommandVerifier(String terminal, byte[] key, Clock clock) {
        this(terminal, key, clock, DEFAULT_MAX_REMEMBERED);
    }

    /** The memory of request ids and their replies. */
    public RequestMemory memory() {
        return memory;
    }

    /** Checks the payload of a message that came on {@code .../cmd/{topicName}}. */
    public Verdict verify(String topicName, byte[] payload) {
        // 0. the size, before anything is parsed
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return refused(INVALID, "payload too large", List.of("body: the payload has " + payload.length
                    + " bytes; a body has at most " + MAX_BODY_BYTES), null, null);
        }
        // 1. the envelope {"body": "...", "sig": "..."}
        JsonNode outer;
        try {
            outer = JSON.readTree(payload);
        } catch (IOException e) {
            outer = null;
        }
        if (outer == null || !outer.isObject()) {
            return refused(INVALID, "payload is not a JSON object", List.of("payload: not a JSON object"), null, null);
        }
        JsonNode bodyNode = outer.get("body");
        if (bodyNode == null || !bodyNode.isTextual()) {
            return refused(INVALID, "payload has no body", List.of("body: a JSON text as a string is required"),
                    null, null);
        }
        String body = bodyNode.asText();
        int bodyBytes = body.length() > MAX_BODY_BYTES ? body.length() : body.getBytes(StandardCharsets.UTF_8).length;
        if (bodyBytes > MAX_BODY_BYTES) {
            return refused(INVALID, "body too large", List.of("body: more than " + MAX_BODY_BYTES + " bytes ("
                    + (body.length() > MAX_BODY_BYTES ? body.length() + " characters" : bodyBytes + " bytes") + ")"),
                    null, null);
        }
        // what the body says, for the reply only: not trusted until the signature holds
        JsonNode unverified = parseQuietly(body);
        String claimedId = text(unverified, "requestId");
        String claimedName = text(unverified, "name");

        // 2. the signature, before anything else of the body counts
        JsonNode sigNode = outer.get("sig");
        if (sigNode == null || !sigNode.isTextual() || sigNode.asText().isEmpty()) {
            return refused(UNAUTHENTICATED, "no signature", List.of(), claimedId, claimedName);
        }
        if (key == null) {
            return refused(UNAUTHENTICATED, "this terminal has no command key configured", List.of(), claimedId,
                    claimedName);
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(sigNode.asText());
        } catch (IllegalArgumentException e) {
            return refused(UNAUTHENTICATED, "signature is not base64", List.of(), claimedId, claimedName);
        }
        if (!MessageDigest.isEqual(hmac(key, body.getBytes(StandardCharsets.UTF_8)), sig)) {
            return refused(UNAUTHENTICATED, "wrong signature", List.of(), claimedId, claimedName);
        }

        // 3. the body
        if (unverified == null || !unverified.isObject()) {
            return refused(INVALID, "body is not a JSON object", List.of("body: not a JSON object"), null, null);
        }
        JsonNode b = unverified;
        String requestId = claimedId;

        // 4. addressed to this terminal, named as its topic
        Problems misdirected = new Problems();
        String toTerminal = text(b, "terminal");
        if (toTerminal != null && !toTerminal.equals(terminal)) {
            misdirected.add("terminal", "addressed to another terminal");
        }
        if (claimedName != null && !claimedName.equals(topicName)) {
            misdirected.add("name", "differs from the topic's command name " + SafeText.of(topicName, MAX_NAME_SHOWN));
        }
        if (!misdirected.isEmpty()) {
            return refused(MISDIRECTED, "command is not for this terminal or not for this topic", misdirected.lines(),
                    requestId, claimedName);
        }

        // 5. shape: every problem at once
        Problems p = new Problems();
        if (requestId == null) {
            p.add("requestId", "a string of 1-" + MAX_REQUEST_ID + " characters of A-Z a-z 0-9 . _ : - is required");
        } else if (!REQUEST_ID.matcher(requestId).matches()) {
            p.add("requestId", requestIdProblem(requestId));
        }
        Instant issuedAt = null;
        String issuedText = text(b, "issuedAt");
        if (issuedText == null) {
            p.add("issuedAt", "an ISO-8601 time with offset is required");
        } else {
            try {
                issuedAt = OffsetDateTime.parse(issuedText).toInstant();
            } catch (DateTimeParseException e) {
                p.add("issuedAt", "not an ISO-8601 time with offset");
            }
        }
        if (toTerminal == null) {
            p.add("terminal", "a string is required");
        }
        if (claimedName == null) {
            p.add("name", "a string is required");
        }
        JsonNode args = b.get("args");
        if (args == null || !args.isObject()) {
            p.add("args", "an object is required ({} when the command has none)");
        }
        if (!p.isEmpty()) {
            return refused(INVALID, "invalid command", p.lines(), requestId, claimedName);
        }

        // 6. seen before? A repeat of the very same body is answered, never carried out again; the
        // same id with another body is a replay. A repeat is recognised even when stale, so the hub
        // that sends a command again for want of a reply gets the stored one.
        CommandRequest request = new CommandRequest(requestId, issuedAt, claimedName, (ObjectNode) args,
                CommandRequest.HUB, null);
        byte[] bodyHash = sha256(body);
        synchronized (memory) {
            switch (memory.lookup(requestId, bodyHash)) {
                case RequestMemory.OtherBody o -> {
                    return refused(REPLAYED, "requestId seen in the last " + REPLAY_WINDOW.toMinutes()
                            + " minutes with another body", List.of(), requestId, claimedName);
                }
                case RequestMemory.SameBody same -> {
                    return new Repeat(request, same.reply());
                }
                case RequestMemory.Unknown u -> {
                    // go on
                }
            }
            // 7. fresh
            Instant now = clock.instant();
            Duration skew = Duration.between(issuedAt, now).abs();
            if (skew.compareTo(MAX_SKEW) > 0) {
                return refused(REPLAYED, "issued " + skew.toSeconds() + " s from this terminal's clock (at most "
                        + MAX_SKEW.toSeconds() + " s)", List.of(), requestId, claimedName);
            }
            if (!memory.received(requestId, bodyHash, maxRemembered)) {
                return refused(BUSY, "more than " + maxRemembered + " commands in " + REPLAY_WINDOW.toMinutes()
                        + " minutes", List.of(), requestId, claimedName);
            }
        }
        return new Accepted(request);
    }

    private static byte[] sha256(String body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Request ids remembered now (for tests and health). */
    public int remembered() {
        return (int) memory.remembered();
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The payload the hub sends for {@code body}: {@code {"body":..,"sig":..}} (for tools and tests). */
    public static byte[] sign(byte[] key, String body) {
        ObjectNode n = JSON.createObjectNode();
        n.put("body", body);
        n.put("sig", Base64.getEncoder().encodeToString(hmac(key, body.getBytes(StandardCharsets.UTF_8))));
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A refusal. A request id the contract does not allow is not echoed (the reply's requestId is
     * null) and a problem says why, showing it {@link SafeText escaped}; the name is shown escaped.
     */
    private static Refused refused(String code, String message, List<String> problems, String requestId,
            String name) {
        List<String> all = problems;
        String id = requestId;
        if (requestId != null && !REQUEST_ID.matcher(requestId).matches()) {
            id = null;
            String why = "requestId: " + requestIdProblem(requestId);
            if (!problems.contains(why)) {
                all = new java.util.ArrayList<>(problems);
                all.add(why);
            }
        }
        return new Refused(code, message, all, id, name == null ? null : SafeText.of(name, MAX_NAME_SHOWN));
    }

    /** Why {@code id} is not a request id, showing it escaped (a problem line without its field). */
    private static String requestIdProblem(String id) {
        return "must be 1-" + MAX_REQUEST_ID + " characters of A-Z a-z 0-9 . _ : -, got '"
                + SafeText.of(id, MAX_REQUEST_ID) + "' (" + id.length() + " characters); the reply's requestId is null";
    }

    private static JsonNode parseQuietly(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
