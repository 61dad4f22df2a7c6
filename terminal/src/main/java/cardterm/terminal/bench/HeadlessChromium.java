package cardterm.terminal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Debian's chromium, headless, driven over the DevTools protocol by a small client on the JDK's own
 * WebSocket ({@code java.net.http}): no Selenium in the product jar (its Chrome driver with what it
 * pulls in weighs about 22 MB). One page; {@link #evaluate} runs JavaScript in it, and a
 * {@linkplain #addBinding binding} lets the page push messages back.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Process process;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<String>> bindings = new ConcurrentHashMap<>();
    private volatile Throwable broken;

    /** The browser could not be started or driven; the message says why. */
    static final class BrowserException extends Exception {
        BrowserException(String message) {
            super(message);
        }
    }

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /**
     * Starts {@code chromium} headless with the flags of the console's browser tests, a fresh
     * profile in {@code dir}, and DevTools on a free loopback port; connects to its page.
     */
    static HeadlessChromium start(Path chromium, Path dir) throws IOException, InterruptedException, BrowserException {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> lines = List.of();
            while (lines.size() < 2) {
                if (!p.isAlive()) {
                    throw new BrowserException(chromium + " exited with " + p.exitValue() + ": " + tail(dir.resolve("chromium.log")));
                }
                if (System.nanoTime() > deadline) {
                    throw new BrowserException(chromium + " did not open DevTools within " + WAIT.toSeconds() + " s");
                }
                Thread.sleep(20);
                lines = Files.isRegularFile(portFile) ? Files.readAllLines(portFile) : List.of();
            }
            int port = Integer.parseInt(lines.get(0).strip());
            HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
            String page = null;
            while (page == null) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode t : JSON.readTree(r.body())) {
                    if ("page".equals(t.path("type").asText())) {
                        page = t.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (page == null) {
                    if (System.nanoTime() > deadline) {
                        throw new BrowserException(chromium + " has no page to drive");
                    }
                    Thread.sleep(20);
                }
            }
            java.util.concurrent.atomic.AtomicReference<HeadlessChromium> self = new java.util.concurrent.atomic.AtomicReference<>();
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(URI.create(page), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        String m = text.toString();
                        text.setLength(0);
                        self.get().received(m);
                    }
                    w.request(1);
                    return null;
                }

                @Override
                public void onError(WebSocket w, Throwable error) {
                    self.get().fail(error);
                }

                @Override
                public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                    self.get().fail(new IOException("DevTools connection closed: " + status + " " + reason));
                    return null;
                }
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            // nothing arrives before the first command: the listener finds the client set
            HeadlessChromium c = new HeadlessChromium(p, ws);
            self.set(c);
            c.call("Runtime.enable", JSON.createObjectNode());
            c.call("Page.enable", JSON.createObjectNode());
            return c;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            destroy(p);
            throw new BrowserException("cannot drive " + chromium + " over DevTools: " + e);
        } catch (IOException | InterruptedException | BrowserException e) {
            destroy(p);
            throw e;
        }
    }

    /** Sends one DevTools command and waits for its result. */
    JsonNode call(String method, ObjectNode params) throws BrowserException, InterruptedException {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        m.set("params", params);
        try {
            synchronized (socket) {
                socket.sendText(JSON.writeValueAsString(m), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            JsonNode r = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new BrowserException(method + ": " + r.get("error").path("message").asText());
            }
            return r.path("result");
        } catch (ExecutionException | TimeoutException | IOException e) {
            Throwable b = broken;
            throw new BrowserException(method + " got no answer: " + (b != null ? b : e));
        } finally {
            pending.remove(id);
        }
    }

    /** Opens {@code url} and waits until its document has loaded. */
    void navigate(URI url) throws BrowserException, InterruptedException {
        call("Page.navigate", JSON.createObjectNode().put("url", url.toString()));
        waitFor("location.href === " + JSON.valueToTree(url.toString()) + " && document.readyState === 'complete'", WAIT);
    }

    /** Evaluates {@code expression} in the page (promises awaited); its value as JSON. */
    JsonNode evaluate(String expression) throws BrowserException, InterruptedException {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            JsonNode d = r.get("exceptionDetails");
            throw new BrowserException("the page threw: " + d.path("exception").path("description").asText(d.path("text").asText()));
        }
        return r.path("result").path("value");
    }

    /** Waits until {@code condition} (JavaScript) is true in the page, looking every 20 ms. */
    void waitFor(String condition, Duration within) throws BrowserException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (evaluate("!!(" + condition + ")").asBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new BrowserException("the page did not show within " + within.toMillis() + " ms: " + condition);
            }
            Thread.sleep(20);
        }
    }

    /** Makes {@code window[name](string)} in the page call {@code receiver} with the string. */
    void addBinding(String name, Consumer<String> receiver) throws BrowserException, InterruptedException {
        bindings.put(name, receiver);
        call("Runtime.addBinding", JSON.createObjectNode().put("name", name));
    }

    private void received(String message) {
        JsonNode m;
        try {
            m = JSON.readTree(message);
        } catch (IOException e) {
            return;
        }
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(m.get("id").asLong());
            if (f != null) {
                f.complete(m);
            }
        } else if ("Runtime.bindingCalled".equals(m.path("method").asText())) {
            Consumer<String> c = bindings.get(m.path("params").path("name").asText());
            if (c != null) {
                c.accept(m.path("params").path("payload").asText());
            }
        }
    }

    private void fail(Throwable error) {
        broken = error;
        pending.values().forEach(f -> f.completeExceptionally(error));
    }

    /** The browser's process id (its renderers are its descendants). */
    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the browser goes anyway
        }
        destroy(process);
    }

    private static void destroy(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", l.subList(Math.max(0, l.size() - 5), l.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
