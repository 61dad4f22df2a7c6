package cardterm.terminal.hub;

import cardterm.terminal.command.CommandDispatcher;
import cardterm.terminal.command.CommandResult;
import cardterm.terminal.command.ReplyCode;
import cardterm.terminal.event.SafeText;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands in, replies out: messages on {@code cmd/+} go through the {@link HubCommandDoor} on
 * one command thread (a bounded queue; a command that finds it full is answered {@code BUSY}),
 * and each reply is published on {@code reply}: at once when a session is up, else kept (bounded)
 * for the next session.
 */
final class CommandChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandChannel.class);
    private static final int MAX_PENDING_REPLIES = 256;
    private static final int COMMAND_QUEUE = 32;

    private final HubCommandDoor door;
    private final Topics topics;
    private final Supplier<HubSession> current;
    private final Runnable wake;
    private final ArrayDeque<byte[]> pendingReplies = new ArrayDeque<>();
    private final ThreadPoolExecutor commandThread;

    /**
     * @param current the session up now, or {@code null}
     * @param wake tells the link thread that replies wait
     */
    CommandChannel(HubCommandDoor door, Topics topics, Supplier<HubSession> current, Runnable wake) {
        this.door = door;
        this.topics = topics;
        this.current = current;
        this.wake = wake;
        this.commandThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(COMMAND_QUEUE),
                r -> Thread.ofPlatform().daemon().name("hub-commands").unstarted(r));
    }

    /** A message arrived on {@code topic}; on Paho's thread: hands it over, never blocks. */
    void messageArrived(String topic, byte[] payload) {
        String name = topics.commandName(topic).orElse(null);
        if (name == null) {
            log.debug("message on unexpected topic {} ignored", SafeText.of(topic));
            return;
        }
        try {
            commandThread.execute(() -> runCommand(name, payload));
        } catch (RejectedExecutionException e) {
            sendReply(HubCommandDoor.busyReply(payload));
        }
    }

    private void runCommand(String name, byte[] payload) {
        ObjectNode reply;
        try {
            reply = door.handle(name, payload);
        } catch (RuntimeException e) {
            log.error("command {} could not be handled", SafeText.of(name, 64), e);
            reply = CommandDispatcher.reply(null, CommandResult.failed(ReplyCode.INTERNAL,
                    "the command could not be handled"));
        }
        sendReply(reply);
    }

    /** Publishes a reply now if connected, else keeps it (bounded) for the next session. */
    private void sendReply(ObjectNode reply) {
        byte[] payload = HubLink.bytes(reply);
        HubSession s = current.get();
        if (s != null && s.isUp()) {
            try {
                s.publish(topics.reply(), payload, 1, false);
                return;
            } catch (MqttException | RuntimeException e) {
                log.debug("reply kept for later: {}", e.toString());
            }
        }
        synchronized (pendingReplies) {
            if (pendingReplies.size() >= MAX_PENDING_REPLIES) {
                pendingReplies.pollFirst();
                log.warn("a reply was dropped: more than {} waiting for the link", MAX_PENDING_REPLIES);
            }
            pendingReplies.addLast(payload);
        }
        wake.run();
    }

    /** Publishes the replies kept while no session was up (link thread). */
    void flushReplies(HubSession s) throws MqttException {
        while (true) {
            byte[] r;
            synchronized (pendingReplies) {
                r = pendingReplies.peekFirst();
                if (r == null) {
                    return;
                }
            }
            try {
                s.publish(topics.reply(), r, 1, false);
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                    return;
                }
                throw e;
            }
            synchronized (pendingReplies) {
                pendingReplies.pollFirst();
            }
        }
    }

    /** Stops the command thread (waits at most 5 s for a command running). */
    @Override
    public void close() {
        commandThread.shutdownNow();
        try {
            commandThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
